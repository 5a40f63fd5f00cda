#!/usr/bin/env bash
# Test double of the AWS CLI, the one thing the backup e2e tests substitute: S3 is a directory,
# object s3://<bucket>/<key> is the file $AWS_STUB_S3_ROOT/<bucket>/<key> and its user metadata is
# <file>.metadata (name=value lines). It understands exactly the calls the rendered backup and
# restore scripts make and fails loudly on anything else.
set -euo pipefail
root=${AWS_STUB_S3_ROOT:?AWS_STUB_S3_ROOT is not set}

usage_error() { echo "aws-stub: unsupported call: $*" >&2; exit 2; }
object_file() { [[ $1 == s3://*/* ]] || usage_error "not an S3 object URI: $1"; printf '%s/%s' "$root" "${1#s3://}"; }
not_found() { echo "An error occurred (404) when calling the HeadObject operation: Not Found ($1)" >&2; exit 1; }

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
      [ -f "$source" ] || not_found "$from"
      cp "$source" "$to"
    fi
    ;;
  "s3api head-object")
    shift 2
    bucket="" key="" query=""
    while [ $# -gt 0 ]; do
      case $1 in
        --bucket) bucket=$2; shift 2 ;;
        --key) key=$2; shift 2 ;;
        --query) query=$2; shift 2 ;;
        --output) [ "$2" = text ] || usage_error "--output $2"; shift 2 ;;
        *) usage_error "s3api head-object option $1" ;;
      esac
    done
    [[ $query == Metadata.* ]] || usage_error "--query $query"
    file="$root/$bucket/$key"
    [ -f "$file" ] || not_found "s3://$bucket/$key"
    value=$(sed -n "s/^${query#Metadata.}=//p" "$file.metadata" 2>/dev/null || true)
    echo "${value:-None}"
    ;;
  *) usage_error "$*" ;;
esac
