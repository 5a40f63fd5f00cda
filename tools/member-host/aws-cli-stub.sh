#!/usr/bin/env bash
# Test double of the AWS CLI: the only AWS endpoints the drills replace (S3 and SSM). Installed as
# /usr/bin/aws in the host drill's member root filesystem (build-rootfs.sh) and put first on PATH by
# the backup e2e tests. It understands exactly the calls the rendered member scripts make and fails
# loudly on anything else, so a new call cannot pass unnoticed.
#   S3:  object s3://<bucket>/<key> is the file $AWS_STUB_S3_ROOT/<bucket>/<key>; its user metadata
#        is <file>.metadata (name=value lines). Uploads are stored the same way (the record).
#   SSM: parameter <name> (a path, /etcd/...) is the file $AWS_STUB_SSM_ROOT<name>.
# Every call is appended to $AWS_STUB_ROOT/calls.log (never a value).
set -euo pipefail
stub_root=${AWS_STUB_ROOT:-/var/lib/aws-stub}
s3_root=${AWS_STUB_S3_ROOT:-$stub_root/s3}
ssm_root=${AWS_STUB_SSM_ROOT:-$stub_root/ssm}
if [ -d "$stub_root" ]; then echo "$*" >>"$stub_root/calls.log"; fi

usage_error() { echo "aws-stub: unsupported call: $*" >&2; exit 2; }
object_file() { [[ $1 == s3://*/* ]] || usage_error "not an S3 object URI: $1"; printf '%s/%s' "$s3_root" "${1#s3://}"; }
not_found() { echo "An error occurred (404) when calling the $1 operation: Not Found ($2)" >&2; exit 1; }

# bucket_key_options ARGS...: parses --bucket/--key and the options every s3api call may carry.
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
        *) usage_error "s3 cp option $1" ;;
      esac
    done
    if [[ $to == s3://* ]]; then
      target=$(object_file "$to")
      mkdir -p "$(dirname "$target")"
      cp "$from" "$target"
      tr ',' '\n' <<<"$metadata" > "$target.metadata"
    else
      source=$(object_file "$from")
      [ -f "$source" ] || not_found GetObject "$from"
      cp "$source" "$to"
    fi
    ;;
  "s3api head-object")
    shift 2
    s3api_options "$@"
    [[ $query == Metadata.* ]] || usage_error "--query $query"
    file="$s3_root/$bucket/$key"
    [ -f "$file" ] || not_found HeadObject "s3://$bucket/$key"
    value=$(sed -n "s/^${query#Metadata.}=//p" "$file.metadata" 2>/dev/null || true)
    echo "${value:-None}"
    ;;
  "s3api get-object")
    shift 2
    s3api_options "$@"
    [ ${#rest[@]} -eq 1 ] || usage_error "s3api get-object needs one output file"
    file="$s3_root/$bucket/$key"
    [ -f "$file" ] || not_found GetObject "s3://$bucket/$key"
    cp "$file" "${rest[0]}"
    echo "{\"ContentLength\": $(stat -c %s "$file")}"
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
    [ -f "$ssm_root$name" ] || { echo "An error occurred (ParameterNotFound) when calling the GetParameter operation: $name" >&2; exit 254; }
    cat "$ssm_root$name"
    echo
    ;;
  *) usage_error "$*" ;;
esac
