// Package openapi embeds the contract as written, for publishing at
// /openapi.yaml and /openapi.json. (The spec embedded in gen/api is
// oapi-codegen's rewrite of it, with Go-style operation ids.)
package openapi

import _ "embed"

// YAML is openapi.yaml, byte for byte.
//
//go:embed openapi.yaml
var YAML []byte
