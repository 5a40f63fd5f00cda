# Sourced by .ci/run and the npm scripts' callers: puts Node >= 22 first on PATH.
# Current @pulumi/pulumi needs Node 22+, but these machines ship Node 20. When the machine's node
# is older, install Node 24 from the npm registry's `node` package into a git-ignored folder.
ci_node_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.cache/node"
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$ci_node_dir/node_modules/.bin/node" ]; then
    echo "ci: machine node is $(node --version 2>/dev/null || echo missing); installing Node 24 into .cache/node" >&2
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$ci_node_dir" node@24 >/dev/null
  fi
  export PATH="$ci_node_dir/node_modules/.bin:$PATH"
fi
echo "ci: using node $(node --version)" >&2
