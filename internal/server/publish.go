package server

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/swaggest/swgui"
	"github.com/swaggest/swgui/v5emb"

	"billing/openapi"
)

// publish serves the contract as written, in YAML and JSON, and an API
// reference page whose Swagger UI assets are embedded in the binary: no CDN,
// no online validator, so it works with the network cut.
func publish(mux *http.ServeMux) error {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.YAML)
	if err != nil {
		return fmt.Errorf("loading openapi.yaml: %w", err)
	}
	asJSON, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("converting openapi.yaml to JSON: %w", err)
	}
	mux.Handle("GET /openapi.yaml", static("application/yaml", openapi.YAML))
	mux.Handle("GET /openapi.json", static("application/json", asJSON))
	docs := v5emb.NewWithConfig(swgui.Config{
		Title:       "billing API",
		SwaggerJSON: "/openapi.json",
		BasePath:    "/docs/",
		SettingsUI:  map[string]string{"validatorUrl": "null"},
	})("billing API", "/openapi.json", "/docs/")
	mux.Handle("GET /docs/", docs)
	mux.Handle("GET /docs", http.RedirectHandler("/docs/", http.StatusMovedPermanently))
	return nil
}

func static(contentType string, body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(body)
	})
}
