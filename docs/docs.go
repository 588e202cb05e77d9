// Package docs is the repository's documentation as a Go package, so that
// tests can hold the pages to the code: every page's links resolve, and no
// file of the repository leans on a document the repository does not have.
package docs
