package checks

import (
	"crypto/rsa"
	"crypto/x509"
)

// rsaBits is the size of an RSA public key, or 0 for any other kind.
func rsaBits(c *x509.Certificate) int {
	if k, ok := c.PublicKey.(*rsa.PublicKey); ok && k.N != nil {
		return k.N.BitLen()
	}
	return 0
}
