#!/usr/bin/env bash
# Vendor Mermaid into the docs site, so that its diagrams render offline.
#
# Material for MkDocs draws ```mermaid blocks with Mermaid, which it loads from a CDN unless a
# `mermaid` global is already defined; mkdocs.yml's extra_javascript loads this copy first.
# Material's integration is written for Mermaid 11 (its CDN URL is mermaid@11), hence the pin.
#
# Run it (needs Node.js and npm) to change the version; commit what it writes. Building and
# testing the docs need no Node.js: the generated files are in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

MERMAID_VERSION=11.17.2
DEST=docs/assets/javascripts/mermaid

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$work" "mermaid@$MERMAID_VERSION"
package="$work/node_modules/mermaid"
installed="$(node -p "require('$package/package.json').version")"
if [ "$installed" != "$MERMAID_VERSION" ]; then
    echo "vendor-mermaid: npm installed mermaid $installed, not $MERMAID_VERSION" >&2
    exit 1
fi

mkdir -p "$DEST"
cp "$package/dist/mermaid.min.js" "$DEST/mermaid.min.js"
cp "$package/LICENSE" "$DEST/LICENSE"
printf '%s\n' "$MERMAID_VERSION" > "$DEST/VERSION"
echo "vendor-mermaid: mermaid $MERMAID_VERSION in $DEST ($(wc -c < "$DEST/mermaid.min.js") bytes)"
