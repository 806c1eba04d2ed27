# bash completion for cloudsignal (made by `cloudsignal completion bash`)
declare -gA _cloudsignal_tree=(
  ["cloudsignal"]="login logout whoami auth pub sub dev bench providers acl users keys tokens completion|--help -h --version --quiet -q --api-url --profile --dev --dev-dir|--api-url --profile --dev-dir"
  ["cloudsignal login"]="|--help -h --with-token --no-browser|"
  ["cloudsignal logout"]="|--help -h --all|"
  ["cloudsignal whoami"]="|--help -h --json|"
  ["cloudsignal auth"]="token|--help -h|"
  ["cloudsignal auth token"]="|--help -h|"
  ["cloudsignal pub"]="|--help -h --url --mqtt-version --username -u --password -P --cafile --id -i --keepalive --topic -t --message -m --file -f --stdin-line -l --null-message -n --qos -q --retain -r --user-property|--url --mqtt-version --username -u --password -P --cafile --id -i --keepalive --topic -t --message -m --file -f --qos -q --user-property"
  ["cloudsignal sub"]="|--help -h --url --mqtt-version --username -u --password -P --cafile --id -i --keepalive --topic -t --qos -q --count -C --timeout -W --json|--url --mqtt-version --username -u --password -P --cafile --id -i --keepalive --topic -t --qos -q --count -C --timeout -W"
  ["cloudsignal dev"]="ca issue-client-cert idp-token|--help -h --data-dir --host --http-port --mqtt-port --mqtts-port --ws-port --wss-port --allow-anonymous --ephemeral --tls-cert --tls-key --require-client-cert --client-ca --ws-allowed-origin --api-rate-limit --log-level|--data-dir --host --http-port --mqtt-port --mqtts-port --ws-port --wss-port --tls-cert --tls-key --client-ca --ws-allowed-origin --api-rate-limit --log-level"
  ["cloudsignal dev ca"]="|--help -h --pem|"
  ["cloudsignal dev issue-client-cert"]="|--help -h --out|--out"
  ["cloudsignal dev idp-token"]="|--help -h --provider --email --subject --ttl --json|--provider --email --subject --ttl"
  ["cloudsignal bench"]="|--help -h --url --cafile --host --port --mqtt-version --username -u --password -P --publishers --subscribers --rate --size --qos --duration --topic --window --connections --idle --threads --json|--url --cafile --host --port --mqtt-version --username -u --password -P --publishers --subscribers --rate --size --qos --duration --topic --window --connections --threads"
  ["cloudsignal providers"]="list add get update remove test|--help -h|"
  ["cloudsignal providers list"]="|--help -h --json|"
  ["cloudsignal providers add"]="|--help -h --type --name --disabled --username-claim --project-url --jwt-secret --jwt-secret-file --project-id --domain --audience --frontend-api-dev --frontend-api-prod --authorized-party --issuer --jwks-uri --json|--type --name --username-claim --project-url --jwt-secret --jwt-secret-file --project-id --domain --audience --frontend-api-dev --frontend-api-prod --authorized-party --issuer --jwks-uri"
  ["cloudsignal providers get"]="|--help -h --json|"
  ["cloudsignal providers update"]="|--help -h --name --enabled --disabled --username-claim --project-url --jwt-secret --jwt-secret-file --project-id --domain --audience --frontend-api-dev --frontend-api-prod --authorized-party --issuer --jwks-uri --json|--name --username-claim --project-url --jwt-secret --jwt-secret-file --project-id --domain --audience --frontend-api-dev --frontend-api-prod --authorized-party --issuer --jwks-uri"
  ["cloudsignal providers remove"]="|--help -h --yes -y|"
  ["cloudsignal providers test"]="|--help -h --token --json|--token"
  ["cloudsignal acl"]="list add remove check|--help -h|"
  ["cloudsignal acl list"]="|--help -h --json|"
  ["cloudsignal acl add"]="|--help -h --user --topic --permission --deny --json|--user --topic --permission"
  ["cloudsignal acl remove"]="|--help -h --yes -y|"
  ["cloudsignal acl check"]="|--help -h --username --topic --action --client-id --json|--username --topic --action --client-id"
  ["cloudsignal users"]="list add remove passwd|--help -h|"
  ["cloudsignal users list"]="|--help -h --json|"
  ["cloudsignal users add"]="|--help -h --password --json|--password"
  ["cloudsignal users remove"]="|--help -h --yes -y|"
  ["cloudsignal users passwd"]="|--help -h --password|--password"
  ["cloudsignal keys"]="list create rotate revoke|--help -h|"
  ["cloudsignal keys list"]="|--help -h --json|"
  ["cloudsignal keys create"]="|--help -h --name --type --scope --allow-ip --json|--name --type --scope --allow-ip"
  ["cloudsignal keys rotate"]="|--help -h --json|"
  ["cloudsignal keys revoke"]="|--help -h --yes -y|"
  ["cloudsignal tokens"]="create exchange refresh list revoke|--help -h|"
  ["cloudsignal tokens create"]="|--help -h --email --ttl --integration-id --json|--email --ttl --integration-id"
  ["cloudsignal tokens exchange"]="|--help -h --provider --token --integration-id --json|--provider --token --integration-id"
  ["cloudsignal tokens refresh"]="|--help -h --id --password --json|--id --password"
  ["cloudsignal tokens list"]="|--help -h --json|"
  ["cloudsignal tokens revoke"]="|--help -h --yes -y|"
  ["cloudsignal completion"]="|--help -h|"
)
_cloudsignal() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} path=cloudsignal i w
  local entry cmds opts values
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    entry=${_cloudsignal_tree[$path]}
    cmds=" ${entry%%|*} "
    if [[ $w != -* && $cmds == *" $w "* ]]; then
      path="$path $w"
    fi
  done
  entry=${_cloudsignal_tree[$path]}
  cmds=${entry%%|*}
  opts=${entry#*|}
  values=" ${opts#*|} "
  opts=${opts%%|*}
  if [[ $values == *" $prev "* ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
  fi
}
complete -F _cloudsignal cloudsignal
