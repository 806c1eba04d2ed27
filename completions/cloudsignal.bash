# bash completion for cloudsignal (made by `cloudsignal completion bash`)
declare -gA _cloudsignal_tree=(
  ["cloudsignal"]="login logout whoami auth pub sub dev bench completion|--help -h --version --api-url --profile --dev --dev-dir|--api-url --profile --dev-dir"
  ["cloudsignal login"]="|--help -h --with-token --no-browser|"
  ["cloudsignal logout"]="|--help -h --all|"
  ["cloudsignal whoami"]="|--help -h --json|"
  ["cloudsignal auth"]="token|--help -h|"
  ["cloudsignal auth token"]="|--help -h|"
  ["cloudsignal pub"]="|--help -h --url --mqtt-version --username -u --password -P --cafile --id -i --keepalive --topic -t --message -m --file -f --stdin-line -l --null-message -n --qos -q --retain -r --user-property|--url --mqtt-version --username -u --password -P --cafile --id -i --keepalive --topic -t --message -m --file -f --qos -q --user-property"
  ["cloudsignal sub"]="|--help -h --url --mqtt-version --username -u --password -P --cafile --id -i --keepalive --topic -t --qos -q --count -C --timeout -W --json|--url --mqtt-version --username -u --password -P --cafile --id -i --keepalive --topic -t --qos -q --count -C --timeout -W"
  ["cloudsignal dev"]="ca issue-client-cert|--help -h --data-dir --host --http-port --mqtt-port --mqtts-port --ws-port --wss-port --allow-anonymous --ephemeral --tls-cert --tls-key --require-client-cert --client-ca --ws-allowed-origin --log-level|--data-dir --host --http-port --mqtt-port --mqtts-port --ws-port --wss-port --tls-cert --tls-key --client-ca --ws-allowed-origin --log-level"
  ["cloudsignal dev ca"]="|--help -h --pem|"
  ["cloudsignal dev issue-client-cert"]="|--help -h --out|--out"
  ["cloudsignal bench"]="|--help -h --url --host --port --mqtt-version --username -u --password -P --publishers --subscribers --rate --size --qos --duration --topic --window --connections --idle --threads --json|--url --host --port --mqtt-version --username -u --password -P --publishers --subscribers --rate --size --qos --duration --topic --window --connections --threads"
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
