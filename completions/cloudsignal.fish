# fish completion for cloudsignal (made by `cloudsignal completion fish`)
complete -c cloudsignal -f -n '__fish_use_subcommand' -a login -d 'Sign in: in the browser, or with a token or API key from stdin'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a logout -d 'Sign out: revoke the session and delete its secrets'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a whoami -d 'Show who is signed in, where and how'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a auth -d 'Credentials for scripts'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a pub -d 'Publish MQTT messages'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a sub -d 'Subscribe to MQTT topics and print the messages'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a dev -d 'Run the local development broker'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a bench -d 'Load an MQTT broker: throughput, loss, latency, connection rate and idle clients'
complete -c cloudsignal -f -n '__fish_use_subcommand' -a completion -d 'Print a shell completion script'
complete -c cloudsignal -n '__fish_use_subcommand' -l help
complete -c cloudsignal -n '__fish_use_subcommand' -l version
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
complete -c cloudsignal -f -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -a ca -d 'Print the path of the dev CA certificate that TLS clients should trust'
complete -c cloudsignal -f -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -a issue-client-cert -d 'Issue a client certificate signed by the dev CA, for mutual TLS'
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l data-dir -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l host -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l http-port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l mqtt-port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l mqtts-port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l ws-port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l wss-port -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l allow-anonymous
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l ephemeral
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l tls-cert -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l tls-key -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l require-client-cert
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l client-ca -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l ws-allowed-origin -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and not __fish_seen_subcommand_from ca issue-client-cert' -l log-level -r
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from ca' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from ca' -l pem
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from issue-client-cert' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from dev; and __fish_seen_subcommand_from issue-client-cert' -l out -r
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l help
complete -c cloudsignal -n '__fish_seen_subcommand_from bench' -l url -r
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
complete -c cloudsignal -n '__fish_seen_subcommand_from completion' -l help
