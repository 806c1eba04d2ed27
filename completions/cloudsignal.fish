# fish completion for cloudsignal (made by `cloudsignal completion fish`)
complete -c cloudsignal -f -n '__fish_use_subcommand' -a login -d 'Sign in: in the browser, or with a token or API key from stdin'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a logout -d 'Sign out: revoke the session and delete its secrets'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a whoami -d 'Show who is signed in, where and how'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a auth -d 'Credentials for scripts'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a pub -d 'Publish MQTT messages'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a sub -d 'Subscribe to MQTT topics and print the messages'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a dev -d 'Run the local development broker'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a bench -d 'Load an MQTT broker: throughput, loss, latency, connection rate and idle clients'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a providers -d 'Manage identity providers (token exchange)'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a acl -d 'Manage the access list (who may use which topics)'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a users -d 'Manage the organization\'s MQTT users'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a keys -d 'Manage API keys (sk_ full access, rk_ restricted)'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a tokens -d 'Issue and manage short-lived MQTT credentials'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a completion -d 'Print a shell completion script'
complete -c cloudsignal -n '__fish_use_subcommand' -l help
complete -c cloudsignal -n '__fish_use_subcommand' -l version
complete -c cloudsignal -n '__fish_use_subcommand' -l quiet
complete -c cloudsignal -n '__fish_use_subcommand' -l api-url -r
complete -c cloudsignal -n '__fish_use_subcommand' -l profile -r
complete -c cloudsignal -n '__fish_use_subcommand' -l dev
complete -c cloudsignal -n '__fish_use_subcommand' -l dev-dir -r
complete -c cloudsignal -n '__fish_seen_subcommand_from login' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from login' -l with-token
complete -c cloudsignal -n '__fish_seen_subcommand_from login' -l no-browser
complete -c cloudsignal -n '__fish_seen_subcommand_from logout' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from logout' -l all
complete -c cloudsignal -n '__fish_seen_subcommand_from whoami' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from whoami' -l json
complete -c cloudsignal -f -n '__fish_seen_subcommand_from auth; and not __fish_seen_subcommand_from token' -a token -d 'Print a valid access token or API key (a session is refreshed first)'
complete -c cloudsignal -n '__fish_seen_subcommand_from auth; and not __fish_seen_subcommand_from token' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from auth; and __fish_seen_subcommand_from token' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l url -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l mqtt-version -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l username -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l password -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l cafile -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l id -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l keepalive -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l topic -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l message -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l file -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l stdin-line
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l null-message
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l qos -r
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l retain
complete -c cloudsignal -n '__fish_seen_subcommand_from pub' -l user-property -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l url -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l mqtt-version -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l username -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l password -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l cafile -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l id -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l keepalive -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l topic -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l qos -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l count -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l timeout -r
complete -c cloudsignal -n '__fish_seen_subcommand_from sub' -l json
complete -c cloudsignal -f -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -a ca -d 'Print the path of the dev CA certificate that TLS clients should trust'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -a issue-client-cert -d 'Issue a client certificate signed by the dev CA, for mutual TLS'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -a idp-token -d 'Print a token from the dev identity provider of the running broker'
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l data-dir -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l host -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l http-port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l mqtt-port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l mqtts-port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l ws-port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l wss-port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l allow-anonymous
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l ephemeral
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l tls-cert -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l tls-key -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l require-client-cert
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l client-ca -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l ws-allowed-origin -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l api-rate-limit -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert idp-token' -l log-level -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from ca' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from ca' -l pem
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from issue-client-cert' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from issue-client-cert' -l out -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from idp-token' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from idp-token' -l provider -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from idp-token' -l email -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from idp-token' -l subject -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from idp-token' -l ttl -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from idp-token' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l url -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l cafile -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l host -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l mqtt-version -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l username -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l password -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l publishers -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l subscribers -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l rate -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l size -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l qos -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l duration -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l topic -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l window -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l connections -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l idle
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l threads -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l json
complete -c cloudsignal -f -n '__fish_seen_subcommand_from providers; and not __fish_seen_subcommand_from list add get update remove test' -a list -d 'List the providers'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from providers; and not __fish_seen_subcommand_from list add get update remove test' -a add -d 'Add a provider'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from providers; and not __fish_seen_subcommand_from list add get update remove test' -a get -d 'Show a provider (secrets are never shown)'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from providers; and not __fish_seen_subcommand_from list add get update remove test' -a update -d 'Change a provider\'s fields'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from providers; and not __fish_seen_subcommand_from list add get update remove test' -a remove -d 'Delete a provider'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from providers; and not __fish_seen_subcommand_from list add get update remove test' -a test -d 'Check a token against a provider'
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and not __fish_seen_subcommand_from list add get update remove test' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from list' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from list' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l type -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l name -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l disabled
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l username-claim -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l project-url -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l jwt-secret -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l jwt-secret-file -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l project-id -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l domain -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l audience -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l frontend-api-dev -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l frontend-api-prod -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l authorized-party -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l issuer -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l jwks-uri -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from add' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from get' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from get' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l name -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l enabled
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l disabled
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l username-claim -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l project-url -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l jwt-secret -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l jwt-secret-file -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l project-id -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l domain -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l audience -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l frontend-api-dev -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l frontend-api-prod -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l authorized-party -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l issuer -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l jwks-uri -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from update' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from remove' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from remove' -l yes
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from test' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from test' -l token -r
complete -c cloudsignal -n '__fish_seen_subcommand_from providers; and __fish_seen_subcommand_from test' -l json
complete -c cloudsignal -f -n '__fish_seen_subcommand_from acl; and not __fish_seen_subcommand_from list add remove check' -a list -d 'List the rules in evaluation order'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from acl; and not __fish_seen_subcommand_from list add remove check' -a add -d 'Add a rule'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from acl; and not __fish_seen_subcommand_from list add remove check' -a remove -d 'Delete a rule'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from acl; and not __fish_seen_subcommand_from list add remove check' -a check -d 'Say whether a user may publish or subscribe (exit 0 allowed, 1 denied)'
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and not __fish_seen_subcommand_from list add remove check' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from list' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from list' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from add' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from add' -l user -r
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from add' -l topic -r
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from add' -l permission -r
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from add' -l deny
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from add' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from remove' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from remove' -l yes
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from check' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from check' -l username -r
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from check' -l topic -r
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from check' -l action -r
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from check' -l client-id -r
complete -c cloudsignal -n '__fish_seen_subcommand_from acl; and __fish_seen_subcommand_from check' -l json
complete -c cloudsignal -f -n '__fish_seen_subcommand_from users; and not __fish_seen_subcommand_from list add remove passwd' -a list -d 'List the users'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from users; and not __fish_seen_subcommand_from list add remove passwd' -a add -d 'Create a user (the password is shown once)'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from users; and not __fish_seen_subcommand_from list add remove passwd' -a remove -d 'Delete a user'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from users; and not __fish_seen_subcommand_from list add remove passwd' -a passwd -d 'Set a user\'s password'
complete -c cloudsignal -n '__fish_seen_subcommand_from users; and not __fish_seen_subcommand_from list add remove passwd' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from users; and __fish_seen_subcommand_from list' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from users; and __fish_seen_subcommand_from list' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from users; and __fish_seen_subcommand_from add' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from users; and __fish_seen_subcommand_from add' -l password -r
complete -c cloudsignal -n '__fish_seen_subcommand_from users; and __fish_seen_subcommand_from add' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from users; and __fish_seen_subcommand_from remove' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from users; and __fish_seen_subcommand_from remove' -l yes
complete -c cloudsignal -n '__fish_seen_subcommand_from users; and __fish_seen_subcommand_from passwd' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from users; and __fish_seen_subcommand_from passwd' -l password -r
complete -c cloudsignal -f -n '__fish_seen_subcommand_from keys; and not __fish_seen_subcommand_from list create rotate revoke' -a list -d 'List the live keys (prefixes, never secrets)'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from keys; and not __fish_seen_subcommand_from list create rotate revoke' -a create -d 'Create a key (the secret is shown once)'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from keys; and not __fish_seen_subcommand_from list create rotate revoke' -a rotate -d 'Replace a key\'s secret (the old stops now)'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from keys; and not __fish_seen_subcommand_from list create rotate revoke' -a revoke -d 'Revoke a key'
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and not __fish_seen_subcommand_from list create rotate revoke' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from list' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from list' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from create' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from create' -l name -r
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from create' -l type -r
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from create' -l scope -r
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from create' -l allow-ip -r
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from create' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from rotate' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from rotate' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from revoke' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from keys; and __fish_seen_subcommand_from revoke' -l yes
complete -c cloudsignal -f -n '__fish_seen_subcommand_from tokens; and not __fish_seen_subcommand_from create exchange refresh list revoke' -a create -d 'Issue a token for a user (by email)'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from tokens; and not __fish_seen_subcommand_from create exchange refresh list revoke' -a exchange -d 'Trade an identity provider\'s token for MQTT credentials'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from tokens; and not __fish_seen_subcommand_from create exchange refresh list revoke' -a refresh -d 'Get a new password for a token'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from tokens; and not __fish_seen_subcommand_from create exchange refresh list revoke' -a list -d 'List the active tokens (no passwords)'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from tokens; and not __fish_seen_subcommand_from create exchange refresh list revoke' -a revoke -d 'Revoke a token (its sessions end)'
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and not __fish_seen_subcommand_from create exchange refresh list revoke' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from create' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from create' -l email -r
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from create' -l ttl -r
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from create' -l integration-id -r
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from create' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from exchange' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from exchange' -l provider -r
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from exchange' -l token -r
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from exchange' -l integration-id -r
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from exchange' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from refresh' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from refresh' -l id -r
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from refresh' -l password -r
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from refresh' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from list' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from list' -l json
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from revoke' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from tokens; and __fish_seen_subcommand_from revoke' -l yes
complete -c cloudsignal -n '__fish_seen_subcommand_from completion' -l help
