package schema

// Provider lets the external tests step the migrations one by one.
var Provider = provider
