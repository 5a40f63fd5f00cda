#!/usr/bin/env bash
# Test double of the AWS CLI: the only AWS endpoints the drills replace (S3, SSM, CloudWatch's
# PutMetricData: one "<namespace> <metric> <value> <unit>" line per call is recorded). It understands
# exactly the calls the rendered member scripts make and fails loudly on anything else, so a new
# call cannot pass unnoticed. Two backends:
#   AWS_STUB_ENDPOINT=http://host:port  (the host drill: /etc/aws-stub/endpoint holds it) an HTTP
#        server standing for AWS (aws-endpoint.ts), reached over the member's network, so sandboxed
#        units (ProtectSystem=strict) call it as they would call AWS;
#   AWS_STUB_S3_ROOT=<dir>  (the backup e2e tests) object s3://<bucket>/<key> is the file
#        <dir>/<bucket>/<key>; its user metadata is <file>.metadata (name=value lines); metric data
#        goes to <dir>/../cloudwatch-metrics.
#   AWS_STUB_SSM_DIR=<dir>  (the deployer's gates and removals) EC2's instances and SSM Run Command:
#        <dir>/instances holds one line per instance, `<id> <state> <tag key>=<value>...`;
#        <dir>/hosts/<id>, an executable, stands for that instance's shell (`<host> -c COMMANDS`):
#        without it the instance's SSM agent is not registered. Each command sent is recorded
#        under <dir>/commands/<n>/ (instance, comment, parameters, code, stdout, stderr, status).
# AWS_STUB_UNREACHABLE=1: every call fails as the CLI does when it cannot reach the endpoint.
set -euo pipefail
if [[ -n ${AWS_STUB_UNREACHABLE:-} ]]; then
  echo "Could not connect to the endpoint URL: \"https://s3.${AWS_DEFAULT_REGION:-us-east-1}.amazonaws.com/\"" >&2
  exit 255
fi
endpoint=${AWS_STUB_ENDPOINT:-$(cat /etc/aws-stub/endpoint 2>/dev/null || true)}

usage_error() { echo "aws-stub: unsupported call: $*" >&2; exit 2; }
s3_path() { [[ $1 == s3://*/* ]] || usage_error "not an S3 object URI: $1"; printf '%s' "${1#s3://}"; }
not_found() { echo "An error occurred (404) when calling the $1 operation: Not Found ($2)" >&2; exit 1; }
s3_file() { printf '%s/%s' "${AWS_STUB_S3_ROOT:?neither AWS_STUB_ENDPOINT nor AWS_STUB_S3_ROOT is set}" "$1"; }
http() { curl --silent --show-error --fail "$@"; }

# get_object BUCKET/KEY FILE, put_object FILE BUCKET/KEY METADATA, object_metadata BUCKET/KEY
get_object() {
  if [ -n "$endpoint" ]; then http --output "$2" "$endpoint/s3/$1" 2>/dev/null || not_found GetObject "s3://$1"
  else [ -f "$(s3_file "$1")" ] || not_found GetObject "s3://$1"; cp "$(s3_file "$1")" "$2"; fi
}
put_object() {
  if [ -n "$endpoint" ]; then http --upload-file "$1" --header "x-stub-metadata: $3" "$endpoint/s3/$2" >/dev/null
  else mkdir -p "$(dirname "$(s3_file "$2")")"; cp "$1" "$(s3_file "$2")"; tr ',' '\n' <<<"$3" >"$(s3_file "$2").metadata"; fi
}
put_metric_data() {
  if [ -n "$endpoint" ]; then http --data-binary "$1" "$endpoint/cloudwatch/metric-data" >/dev/null
  else echo "$1" >>"$(dirname "${AWS_STUB_S3_ROOT:?neither AWS_STUB_ENDPOINT nor AWS_STUB_S3_ROOT is set}")/cloudwatch-metrics"; fi
}
object_metadata() {
  if [ -n "$endpoint" ]; then http "$endpoint/s3-metadata/$1" 2>/dev/null || not_found HeadObject "s3://$1"
  else [ -f "$(s3_file "$1")" ] || not_found HeadObject "s3://$1"; cat "$(s3_file "$1").metadata" 2>/dev/null || true; fi
}

# s3api_options ARGS...: parses --bucket/--key and the options every s3api call may carry.
s3api_options() {
  bucket="" key="" query="" rest=()
  while [ $# -gt 0 ]; do
    case $1 in
      --bucket) bucket=$2; shift 2 ;;
      --key) key=$2; shift 2 ;;
      --query) query=$2; shift 2 ;;
      --output) [ "$2" = text ] || usage_error "--output $2"; shift 2 ;;
      --*) usage_error "s3api option $1" ;;
      *) rest+=("$1"); shift ;;
    esac
  done
}

case "${1:-} ${2:-}" in
  "s3 cp")
    from=$3 to=$4 metadata=""
    shift 4
    while [ $# -gt 0 ]; do
      case $1 in
        --only-show-errors) shift ;;
        --metadata) metadata=$2; shift 2 ;;
        --cli-connect-timeout | --cli-read-timeout) shift 2 ;;
        *) usage_error "s3 cp option $1" ;;
      esac
    done
    if [[ $to == s3://* ]]; then put_object "$from" "$(s3_path "$to")" "$metadata"
    else get_object "$(s3_path "$from")" "$to"; fi
    ;;
  "s3api head-object")
    shift 2
    s3api_options "$@"
    [[ $query == Metadata.* ]] || usage_error "--query $query"
    metadata=$(object_metadata "$bucket/$key")
    value=$(sed -n "s/^${query#Metadata.}=//p" <<<"$metadata")
    echo "${value:-None}"
    ;;
  "s3api get-object")
    shift 2
    s3api_options "$@"
    [ ${#rest[@]} -eq 1 ] || usage_error "s3api get-object needs one output file"
    get_object "$bucket/$key" "${rest[0]}"
    echo "{\"ContentLength\": $(stat -c %s "${rest[0]}")}"
    ;;
  "ssm get-parameter")
    shift 2
    name="" decrypt=false query="" output=""
    while [ $# -gt 0 ]; do
      case $1 in
        --name) name=$2; shift 2 ;;
        --with-decryption) decrypt=true; shift ;;
        --query) query=$2; shift 2 ;;
        --output) output=$2; shift 2 ;;
        *) usage_error "ssm get-parameter option $1" ;;
      esac
    done
    [[ $query == Parameter.Value && $output == text ]] || usage_error "ssm get-parameter --query $query --output $output"
    if [[ -z $endpoint && -n ${AWS_STUB_SSM_DIR:-} ]]; then
      # The deployer's plain-text parameters (the member list): file <dir>/parameters/<name>.
      [[ $decrypt == false ]] || usage_error "ssm get-parameter --with-decryption of a plain-text parameter"
      cat "$AWS_STUB_SSM_DIR/parameters$name" 2>/dev/null || { echo "An error occurred (ParameterNotFound) when calling the GetParameter operation: " >&2; exit 254; }
      exit 0
    fi
    [[ $decrypt == true ]] || usage_error "ssm get-parameter without --with-decryption (SecureStrings would come back encrypted)"
    [ -n "$endpoint" ] || usage_error "ssm get-parameter needs AWS_STUB_ENDPOINT"
    http "$endpoint/ssm$name" 2>/dev/null || { echo "An error occurred (ParameterNotFound) when calling the GetParameter operation: $name" >&2; exit 254; }
    echo
    ;;
  "s3api list-objects-v2")
    # What etcd-ops status asks, on the operator's machine (AWS_STUB_S3_ROOT only): key and
    # modification time (ISO 8601, UTC) of every object under a prefix, as JSON; null when none.
    shift 2
    bucket="" prefix="" query="" output=""
    while [ $# -gt 0 ]; do
      case $1 in
        --bucket) bucket=$2; shift 2 ;;
        --prefix) prefix=$2; shift 2 ;;
        --query) query=$2; shift 2 ;;
        --output) output=$2; shift 2 ;;
        *) usage_error "s3api list-objects-v2 option $1" ;;
      esac
    done
    if [ "$query" != 'Contents[].[Key,LastModified]' ] || [ "$output" != json ]; then usage_error "list-objects-v2 --query $query --output $output"; fi
    bucket_dir=$(s3_file "$bucket")
    [ -d "$bucket_dir" ] || { echo "An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: $bucket" >&2; exit 254; }
    rows=$(cd "$bucket_dir" && find . -type f ! -name '*.metadata' -printf '%P\t%TY-%Tm-%TdT%TH:%TM:%.2TSZ\n' |
      while IFS=$'\t' read -r key modified; do
        if [[ $key == "$prefix"* ]]; then printf '["%s","%s"]\n' "$key" "$modified"; fi
      done | paste -sd ',')
    if [ -z "$rows" ]; then echo null; else echo "[$rows]"; fi
    ;;
  "cloudwatch put-metric-data")
    shift 2
    region="" namespace="" metric="" value="" unit=""
    while [ $# -gt 0 ]; do
      case $1 in
        --region) region=$2; shift 2 ;;
        --namespace) namespace=$2; shift 2 ;;
        --metric-name) metric=$2; shift 2 ;;
        --value) value=$2; shift 2 ;;
        --unit) unit=$2; shift 2 ;;
        *) usage_error "cloudwatch put-metric-data option $1" ;;
      esac
    done
    if [ -z "$region" ] || [ -z "$namespace" ] || [ -z "$metric" ] || [ -z "$value" ]; then
      usage_error "put-metric-data without region, namespace, metric or value"
    fi
    put_metric_data "$namespace $metric $value $unit"
    ;;
  "ec2 describe-instances")
    # The two queries the deployer scripts make: instance IDs (one text line, tab-separated), or
    # per instance its ID, state and one tag's value (one line each).
    shift 2
    tag_filters=() states="" query="" output=""
    while [ $# -gt 0 ]; do
      case $1 in
        --filters)
          shift
          while [ $# -gt 0 ] && [[ $1 != --* ]]; do
            case $1 in
              Name=tag:*,Values=*) filter=${1#Name=tag:}; tag_filters+=("${filter%%,Values=*}=${filter#*,Values=}") ;;
              Name=instance-state-name,Values=*) states=${1#*,Values=} ;;
              *) usage_error "describe-instances filter $1" ;;
            esac
            shift
          done ;;
        --query) query=$2; shift 2 ;;
        --output) output=$2; shift 2 ;;
        *) usage_error "ec2 describe-instances option $1" ;;
      esac
    done
    [ "$output" = text ] || usage_error "describe-instances --output $output"
    ssm_dir=${AWS_STUB_SSM_DIR:?AWS_STUB_SSM_DIR is not set}
    matching=()
    while read -r id state tags; do
      [ -n "$id" ] || continue
      if [ -n "$states" ] && [[ ",$states," != *",$state,"* ]]; then continue; fi
      for filter in "${tag_filters[@]}"; do [[ " $tags " == *" $filter "* ]] || continue 2; done
      matching+=("$id $state $tags")
    done <"$ssm_dir/instances"
    if [ "$query" = 'Reservations[].Instances[].InstanceId' ]; then
      ids=()
      for line in "${matching[@]}"; do ids+=("${line%% *}"); done
      (IFS=$'\t'; echo "${ids[*]}")
    elif [[ $query =~ ^Reservations\[\]\.Instances\[\]\.\[InstanceId,State\.Name,Tags\[\?Key==\'([^\']+)\'\]\|\[0\]\.Value\]$ ]]; then
      key=${BASH_REMATCH[1]}
      for line in "${matching[@]}"; do
        read -r id state tags <<<"$line"
        value=None
        for tag in $tags; do if [ "${tag%%=*}" = "$key" ]; then value=${tag#*=}; fi; done
        printf '%s\t%s\t%s\n' "$id" "$state" "$value"
      done
    else
      usage_error "describe-instances --query $query"
    fi
    ;;
  "ssm send-command")
    # SendCommand's TimeoutSeconds: optional, 30 to 2592000 (botocore); AWS-RunShellScript's
    # parameters: commands, workingDirectory, executionTimeout (1 to 172800 s, default 3600).
    shift 2
    instance="" document="" comment="" delivery_timeout="" parameters="" query="" output=""
    while [ $# -gt 0 ]; do
      case $1 in
        --instance-ids) instance=$2; shift 2 ;;
        --document-name) document=$2; shift 2 ;;
        --comment) comment=$2; shift 2 ;;
        --timeout-seconds) delivery_timeout=$2; shift 2 ;;
        --parameters) parameters=$2; shift 2 ;;
        --query) query=$2; shift 2 ;;
        --output) output=$2; shift 2 ;;
        *) usage_error "ssm send-command option $1" ;;
      esac
    done
    [ "$document" = AWS-RunShellScript ] || usage_error "send-command --document-name $document"
    [[ $query == Command.CommandId && $output == text ]] || usage_error "send-command --query $query --output $output"
    if [ -n "$delivery_timeout" ] && { ! [[ $delivery_timeout =~ ^[0-9]+$ ]] || [ "$delivery_timeout" -lt 30 ] || [ "$delivery_timeout" -gt 2592000 ]; }; then
      echo "An error occurred (ValidationException) when calling the SendCommand operation: TimeoutSeconds '$delivery_timeout' is not between 30 and 2592000" >&2
      exit 252
    fi
    ssm_dir=${AWS_STUB_SSM_DIR:?AWS_STUB_SSM_DIR is not set}
    if ! execution_timeout=$(python3 -c '
import json, sys
parameters = json.loads(sys.argv[1])
assert set(parameters) <= {"commands", "workingDirectory", "executionTimeout"}, sorted(parameters)
assert all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in parameters.values())
timeout = int(parameters.get("executionTimeout", ["3600"])[0])
assert 1 <= timeout <= 172800, timeout
print(timeout)' "$parameters" 2>&1); then
      echo "An error occurred (InvalidParameters) when calling the SendCommand operation: $execution_timeout" >&2
      exit 254
    fi
    if ! grep -q "^$instance running" "$ssm_dir/instances" || [ ! -x "$ssm_dir/hosts/$instance" ]; then
      echo "An error occurred (InvalidInstanceId) when calling the SendCommand operation: Instances [[$instance]] not in a valid state for account" >&2
      exit 254
    fi
    mkdir -p "$ssm_dir/commands"
    n=$(($(find "$ssm_dir/commands" -mindepth 1 -maxdepth 1 | wc -l) + 1))
    record="$ssm_dir/commands/$n"
    mkdir "$record"
    printf '%s' "$instance" >"$record/instance"
    printf '%s' "$comment" >"$record/comment"
    printf '%s' "$parameters" >"$record/parameters"
    commands=$(python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])["commands"]))' "$parameters")
    code=0
    timeout "$execution_timeout" "$ssm_dir/hosts/$instance" -c "$commands" >"$record/stdout" 2>"$record/stderr" || code=$?
    echo "$code" >"$record/code"
    if [ "$code" -eq 124 ]; then echo TimedOut; elif [ "$code" -eq 0 ]; then echo Success; else echo Failed; fi >"$record/status"
    echo "command-$n"
    ;;
  "ssm wait" | "ssm get-command-invocation")
    operation=$2
    [ "$operation" = get-command-invocation ] || { [ "${3:-}" = command-executed ] || usage_error "ssm wait ${3:-}"; shift; }
    shift 2
    command_id="" instance="" query="" output=""
    while [ $# -gt 0 ]; do
      case $1 in
        --command-id) command_id=$2; shift 2 ;;
        --instance-id) instance=$2; shift 2 ;;
        --query) query=$2; shift 2 ;;
        --output) output=$2; shift 2 ;;
        *) usage_error "ssm $operation option $1" ;;
      esac
    done
    record="${AWS_STUB_SSM_DIR:?AWS_STUB_SSM_DIR is not set}/commands/${command_id#command-}"
    if [ ! -d "$record" ] || [ "$(cat "$record/instance")" != "$instance" ]; then
      echo "An error occurred (InvocationDoesNotExist) when calling the GetCommandInvocation operation: " >&2
      exit 254
    fi
    status=$(cat "$record/status")
    if [ "$operation" = wait ]; then
      [ "$status" = Success ] && exit 0
      echo "Waiter CommandExecuted failed: Waiter encountered a terminal failure state: For expression \"Status\" we matched expected path: \"$status\"" >&2
      exit 255
    fi
    [ "$output" = text ] || usage_error "get-command-invocation --output $output"
    case $query in
      ResponseCode) cat "$record/code" ;;
      '[StandardOutputContent,StandardErrorContent]') printf '%s\t%s\n' "$(cat "$record/stdout")" "$(cat "$record/stderr")" ;;
      *) usage_error "get-command-invocation --query $query" ;;
    esac
    ;;
  *) usage_error "$*" ;;
esac
