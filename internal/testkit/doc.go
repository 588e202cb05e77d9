// Package testkit holds what the tests use and the tool never runs: the fake
// Okta API (oktatest, and its command fakeokta), fixtures built from the
// known-good snapshot (fixture), and the checks that read each report the way
// its consumer does (consumer). What runs inside ssoaudit lives beside it in
// internal/ (redact, escape, words, yamlfile); nothing outside a _test.go
// file or this directory imports testkit, and a test keeps it so.
package testkit
