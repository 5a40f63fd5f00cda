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
  *) usage_error "$*" ;;
esac
