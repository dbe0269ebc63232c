#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/err.h>

// Small helpers over OpenSSL for signed checkpoints (Ed25519). They exist because the OpenSSL API uses macros and
// callbacks that Swift cannot call directly; each does one thing and owns nothing it does not free.

/// Refuses every passphrase prompt: a key file with a passphrase fails to load instead of asking on the terminal.
static int gapflow_no_passphrase(char *buffer, int size, int rwflag, void *userdata) {
    (void)buffer; (void)size; (void)rwflag; (void)userdata;
    return -1;
}

/// Reads the raw 32-byte Ed25519 seed from a PEM private key. Returns 1 on success, 0 if the text holds no
/// unencrypted Ed25519 private key.
static int gapflow_ed25519_private_from_pem(const char *pem, int length, unsigned char *seed32) {
    BIO *bio = BIO_new_mem_buf(pem, length);
    if (bio == NULL) return 0;
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, gapflow_no_passphrase, NULL);
    BIO_free(bio);
    if (key == NULL) { ERR_clear_error(); return 0; }
    int ok = 0;
    size_t size = 32;
    if (EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 && EVP_PKEY_get_raw_private_key(key, seed32, &size) == 1 && size == 32) ok = 1;
    EVP_PKEY_free(key);
    return ok;
}

/// Reads the raw 32-byte Ed25519 public key from a PEM public key ("BEGIN PUBLIC KEY"). Returns 1 on success.
static int gapflow_ed25519_public_from_pem(const char *pem, int length, unsigned char *public32) {
    BIO *bio = BIO_new_mem_buf(pem, length);
    if (bio == NULL) return 0;
    EVP_PKEY *key = PEM_read_bio_PUBKEY(bio, NULL, gapflow_no_passphrase, NULL);
    BIO_free(bio);
    if (key == NULL) { ERR_clear_error(); return 0; }
    int ok = 0;
    size_t size = 32;
    if (EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 && EVP_PKEY_get_raw_public_key(key, public32, &size) == 1 && size == 32) ok = 1;
    EVP_PKEY_free(key);
    return ok;
}

/// Makes a new Ed25519 key and writes its seed. Returns 1 on success.
static int gapflow_ed25519_generate(unsigned char *seed32) {
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    if (context == NULL) return 0;
    EVP_PKEY *key = NULL;
    int ok = EVP_PKEY_keygen_init(context) == 1 && EVP_PKEY_keygen(context, &key) == 1;
    EVP_PKEY_CTX_free(context);
    if (!ok || key == NULL) { EVP_PKEY_free(key); return 0; }
    size_t size = 32;
    ok = EVP_PKEY_get_raw_private_key(key, seed32, &size) == 1 && size == 32;
    EVP_PKEY_free(key);
    return ok;
}

/// The public key of a seed. Returns 1 on success.
static int gapflow_ed25519_public_of(const unsigned char *seed32, unsigned char *public32) {
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed32, 32);
    if (key == NULL) return 0;
    size_t size = 32;
    int ok = EVP_PKEY_get_raw_public_key(key, public32, &size) == 1 && size == 32;
    EVP_PKEY_free(key);
    return ok;
}

/// Writes the key of a seed as PEM (PKCS #8, unencrypted, as `openssl genpkey -algorithm ed25519` does) into `out`
/// (at most `capacity` bytes). Returns the number of bytes written, or 0.
static int gapflow_ed25519_private_to_pem(const unsigned char *seed32, char *out, int capacity) {
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed32, 32);
    if (key == NULL) return 0;
    BIO *bio = BIO_new(BIO_s_mem());
    int written = 0;
    if (bio != NULL && PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) == 1) {
        size_t pending = BIO_ctrl_pending(bio);
        if (pending > 0 && pending <= (size_t)capacity) written = BIO_read(bio, out, (int)pending);
        if (written < 0) written = 0;
    }
    BIO_free(bio);
    EVP_PKEY_free(key);
    return written;
}

/// Writes the public key of a seed as PEM ("BEGIN PUBLIC KEY") into `out`. Returns the number of bytes written, or 0.
static int gapflow_ed25519_public_to_pem(const unsigned char *seed32, char *out, int capacity) {
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed32, 32);
    if (key == NULL) return 0;
    BIO *bio = BIO_new(BIO_s_mem());
    int written = 0;
    if (bio != NULL && PEM_write_bio_PUBKEY(bio, key) == 1) {
        size_t pending = BIO_ctrl_pending(bio);
        if (pending > 0 && pending <= (size_t)capacity) written = BIO_read(bio, out, (int)pending);
        if (written < 0) written = 0;
    }
    BIO_free(bio);
    EVP_PKEY_free(key);
    return written;
}

/// Signs `message` with the key of a seed; writes the 64-byte signature. Returns 1 on success.
static int gapflow_ed25519_sign(const unsigned char *seed32, const unsigned char *message, size_t length, unsigned char *signature64) {
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed32, 32);
    if (key == NULL) return 0;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t size = 64;
    int ok = context != NULL && EVP_DigestSignInit(context, NULL, NULL, NULL, key) == 1
        && EVP_DigestSign(context, signature64, &size, message, length) == 1 && size == 64;
    EVP_MD_CTX_free(context);
    EVP_PKEY_free(key);
    return ok;
}

/// Whether `signature64` is a valid Ed25519 signature of `message` by `public32`: 1 if it is, 0 if not.
static int gapflow_ed25519_verify(const unsigned char *public32, const unsigned char *message, size_t length, const unsigned char *signature64) {
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, public32, 32);
    if (key == NULL) return 0;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    int ok = context != NULL && EVP_DigestVerifyInit(context, NULL, NULL, NULL, key) == 1
        && EVP_DigestVerify(context, signature64, 64, message, length) == 1;
    EVP_MD_CTX_free(context);
    EVP_PKEY_free(key);
    ERR_clear_error();
    return ok;
}

/// An incremental SHA-256 (EVP), for digests over more data than is worth holding at once.
static EVP_MD_CTX *gapflow_sha256_begin(void) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context != NULL && EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) { EVP_MD_CTX_free(context); return NULL; }
    return context;
}

static int gapflow_sha256_update(EVP_MD_CTX *context, const unsigned char *bytes, size_t length) {
    return EVP_DigestUpdate(context, bytes, length);
}

/// Writes the 32-byte digest and frees the context.
static int gapflow_sha256_finish(EVP_MD_CTX *context, unsigned char *digest32) {
    unsigned int size = 0;
    int ok = EVP_DigestFinal_ex(context, digest32, &size) == 1 && size == 32;
    EVP_MD_CTX_free(context);
    return ok;
}
#endif
