// The system OpenSSL (libssl-dev), for blocking TLS client sockets (the Elasticsearch sink's HTTPS).
// Several OpenSSL "functions" are macros over SSL_CTX_ctrl / SSL_ctrl, which Swift cannot call: wrapped here.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

static inline int sluice_ssl_ctx_set_min_proto(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline int sluice_ssl_ctx_set_max_proto(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}
static inline int sluice_ssl_set_sni(SSL *ssl, const char *host) {
    return (int)SSL_set_tlsext_host_name(ssl, host);
}
static inline int sluice_ssl_ctx_add_chain_cert(SSL_CTX *ctx, X509 *cert) {
    return (int)SSL_CTX_add1_chain_cert(ctx, cert);
}
static inline int sluice_x509_stack_count(STACK_OF(X509) *s) { return s ? sk_X509_num(s) : 0; }
static inline X509 *sluice_x509_stack_at(STACK_OF(X509) *s, int i) { return sk_X509_value(s, i); }
static inline void sluice_x509_stack_free(STACK_OF(X509) *s) { if (s) sk_X509_pop_free(s, X509_free); }
