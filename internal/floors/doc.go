// Package floors holds no code: its test reads the module's import graph and
// holds the floors of the house (ARCHITECTURE.md, CONTRIBUTING.md) in place.
package floors
