/*
 * sae-kat: known answers for the bignum and elliptic-curve glue that SAE
 * (WPA3-Personal) runs on, built from wpa's own src/crypto/crypto_wolfssl.c,
 * src/common/sae.c and dragonfly.c against our wolfSSL. Three layers:
 *  - crypto_bignum_* and crypto_ec_* against values from gen-kat.py;
 *  - SAE against IEEE Std 802.11-2020 Annex J.10 (hunting-and-pecking
 *    commit, KCK, PMK, PMKID) and the hash-to-element PWE of group 19;
 *  - a full commit/confirm exchange between two peers per group and
 *    method, which must agree on the PMK, timed; and OWE's ECDH.
 * Prints one line per check; exits 1 when any failed.
 */
#include "utils/includes.h"
#include "utils/common.h"
#include "crypto/crypto.h"
#include "common/sae.h"
#include "common/dragonfly.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include "kat-values.h"

static int failed;

static void check(int ok, const char *what, int group)
{
	printf("%s %s (group %d)\n", ok ? "ok  " : "FAIL", what, group);
	if (!ok)
		failed++;
}

static struct crypto_bignum *bn(const char *hex)
{
	u8 buf[80];
	size_t len = os_strlen(hex) / 2;

	if (len > sizeof(buf) || hexstr2bin(hex, buf, len) < 0)
		abort();
	return crypto_bignum_init_set(buf, len);
}

/* Whether a equals the hex string, printed at the hex string's length. */
static int bn_is(const struct crypto_bignum *a, const char *hex)
{
	u8 want[80], got[80];
	size_t len = os_strlen(hex) / 2;
	size_t i;

	if (!a || hexstr2bin(hex, want, len) < 0 ||
	    crypto_bignum_to_bin(a, got, sizeof(got), len) != (int) len)
		return 0;
	if (os_memcmp(got, want, len) == 0)
		return 1;
	printf("     got  ");
	for (i = 0; i < len; i++)
		printf("%02x", got[i]);
	printf("\n     want %s\n", hex);
	return 0;
}

static int point_is(struct crypto_ec *ec, const struct crypto_ec_point *p,
		    const char *hx, const char *hy)
{
	u8 x[66], y[66];
	size_t len = crypto_ec_prime_len(ec);
	struct crypto_bignum *bx, *by;
	int ok;

	if (!p || crypto_ec_point_to_bin(ec, p, x, y) < 0)
		return 0;
	bx = crypto_bignum_init_set(x, len);
	by = crypto_bignum_init_set(y, len);
	ok = bn_is(bx, hx) && bn_is(by, hy);
	crypto_bignum_deinit(bx, 0);
	crypto_bignum_deinit(by, 0);
	return ok;
}

static struct crypto_ec_point *point(struct crypto_ec *ec, const char *hx,
				     const char *hy)
{
	u8 xy[132];
	size_t len = crypto_ec_prime_len(ec);

	if (hexstr2bin(hx, xy, len) < 0 || hexstr2bin(hy, xy + len, len) < 0)
		abort();
	return crypto_ec_point_from_bin(ec, xy);
}

static void bignum_tests(void)
{
	const int g = 19;
	struct crypto_bignum *p = bn(ec_kats[0].p);
	struct crypto_bignum *x = bn(kat_x), *y = bn(kat_y);
	struct crypto_bignum *r = crypto_bignum_init();
	struct crypto_bignum *small = crypto_bignum_init_uint(0x1234);
	struct crypto_bignum *zero = crypto_bignum_init_uint(0);
	struct crypto_bignum *one = crypto_bignum_init_uint(1);
	struct crypto_bignum *three = crypto_bignum_init_uint(3);
	struct crypto_bignum *seven = crypto_bignum_init_uint(7);
	struct crypto_bignum *qr = bn(kat_qr), *nqr = bn(kat_nqr);
	struct crypto_bignum *roots[2] = { bn(kat_sqrt_qr), bn(kat_sqrt_qr_other) };
	struct crypto_ec *ec = crypto_ec_init(g);
	u8 buf[40];

	os_memset(buf, 0xa5, sizeof(buf));
	check(crypto_bignum_to_bin(small, buf, 32, 32) == 32 &&
	      buf[29] == 0 && buf[30] == 0x12 && buf[31] == 0x34 &&
	      buf[0] == 0 && buf[32] == 0xa5, "to_bin pads on the left", g);
	os_memset(buf, 0xa5, sizeof(buf));
	check(crypto_bignum_to_bin(zero, buf, 32, 32) == 32 && buf[31] == 0 &&
	      buf[32] == 0xa5, "to_bin of zero stays in its buffer", g);
	check(crypto_bignum_add(x, y, r) == 0 && bn_is(r, kat_x_plus_y),
	      "add", g);
	check(crypto_bignum_mod(r, p, r) == 0 && bn_is(r, kat_x_plus_y_mod_p),
	      "mod (in place)", g);
	check(crypto_bignum_addmod(x, y, p, r) == 0 &&
	      bn_is(r, kat_x_plus_y_mod_p), "addmod", g);
	check(crypto_bignum_sub(p, x, r) == 0 && bn_is(r, kat_p_minus_x),
	      "sub", g);
	check(crypto_bignum_mulmod(x, y, p, r) == 0 &&
	      bn_is(r, kat_x_mul_y_mod_p), "mulmod", g);
	check(crypto_bignum_sqrmod(x, p, r) == 0 && bn_is(r, kat_x_sqr_mod_p),
	      "sqrmod", g);
	check(crypto_bignum_exptmod(x, three, p, r) == 0 &&
	      bn_is(r, kat_x_cube_mod_p), "exptmod x^3", g);
	check(crypto_bignum_exptmod(x, y, p, r) == 0 &&
	      bn_is(r, kat_x_exp_y_mod_p), "exptmod x^y", g);
	check(crypto_bignum_inverse(x, p, r) == 0 && bn_is(r, kat_x_inv_mod_p),
	      "inverse", g);
	check(crypto_bignum_div(x, seven, r) == 0 && bn_is(r, kat_x_div_7),
	      "div", g);
	check(crypto_bignum_rshift(x, 1, r) == 0 && bn_is(r, kat_x_shr_1),
	      "rshift", g);
	/* sae.c computes in place: t1 = t1 * t2 mod p and the like. */
	check(crypto_bignum_mulmod(x, one, p, r) == 0 &&
	      crypto_bignum_mulmod(r, y, p, r) == 0 &&
	      bn_is(r, kat_x_mul_y_mod_p), "mulmod in place", g);
	check(crypto_bignum_mulmod(x, one, p, r) == 0 &&
	      crypto_bignum_inverse(r, p, r) == 0 &&
	      bn_is(r, kat_x_inv_mod_p), "inverse in place", g);
	check(crypto_bignum_mulmod(x, one, p, r) == 0 &&
	      crypto_bignum_rshift(r, 1, r) == 0 && bn_is(r, kat_x_shr_1),
	      "rshift in place", g);
	check(crypto_bignum_cmp(x, y) > 0 && crypto_bignum_cmp(y, x) < 0 &&
	      crypto_bignum_cmp(x, x) == 0, "cmp", g);
	check(crypto_bignum_is_zero(zero) && !crypto_bignum_is_zero(one) &&
	      crypto_bignum_is_one(one) && !crypto_bignum_is_one(seven) &&
	      crypto_bignum_is_odd(seven) && !crypto_bignum_is_odd(x),
	      "is_zero, is_one, is_odd", g);
	check(crypto_bignum_legendre(qr, p) == 1 &&
	      crypto_bignum_legendre(nqr, p) == -1 &&
	      crypto_bignum_legendre(zero, p) == 0, "legendre", g);
	check(ec && dragonfly_sqrt(ec, qr, r) == 0 &&
	      (crypto_bignum_cmp(r, roots[0]) == 0 ||
	       crypto_bignum_cmp(r, roots[1]) == 0), "dragonfly_sqrt", g);

	crypto_ec_deinit(ec);
	crypto_bignum_deinit(p, 0);
	crypto_bignum_deinit(x, 0);
	crypto_bignum_deinit(y, 0);
	crypto_bignum_deinit(r, 0);
	crypto_bignum_deinit(small, 0);
	crypto_bignum_deinit(zero, 0);
	crypto_bignum_deinit(one, 0);
	crypto_bignum_deinit(three, 0);
	crypto_bignum_deinit(seven, 0);
	crypto_bignum_deinit(qr, 0);
	crypto_bignum_deinit(nqr, 0);
	crypto_bignum_deinit(roots[0], 0);
	crypto_bignum_deinit(roots[1], 0);
}

static void ec_tests(const struct ec_kat *t)
{
	const int g = t->group;
	struct crypto_ec *ec = crypto_ec_init(g);
	struct crypto_ec_point *G = NULL, *kG = NULL, *r = NULL;
	struct crypto_bignum *k = bn(t->k), *ysqr = NULL, *yx = bn(t->ysqr_x);

	check(ec != NULL, "crypto_ec_init", g);
	if (!ec)
		return;
	check(crypto_ec_prime_len(ec) == os_strlen(t->p) / 2 &&
	      bn_is(crypto_ec_get_prime(ec), t->p) &&
	      bn_is(crypto_ec_get_order(ec), t->n), "prime and order", g);
	check(bn_is(crypto_ec_get_a(ec), t->a), "curve a", g);
	check(bn_is(crypto_ec_get_b(ec), t->b), "curve b", g);
	ysqr = crypto_ec_point_compute_y_sqr(ec, yx);
	check(bn_is(ysqr, t->ysqr), "compute_y_sqr", g);

	G = point(ec, t->gx, t->gy);
	check(G && crypto_ec_point_is_on_curve(ec, G), "G is on the curve", g);
	kG = crypto_ec_point_init(ec);
	check(crypto_ec_point_mul(ec, G, k, kG) == 0 &&
	      point_is(ec, kG, t->kgx, t->kgy), "point_mul k*G", g);
	check(crypto_ec_point_is_on_curve(ec, kG) &&
	      !crypto_ec_point_is_at_infinity(ec, kG), "k*G on the curve", g);
	r = crypto_ec_point_init(ec);
	check(crypto_ec_point_add(ec, G, kG, r) == 0 &&
	      point_is(ec, r, t->k1gx, t->k1gy), "point_add G + k*G", g);
	check(crypto_ec_point_cmp(ec, kG, kG) == 0 &&
	      crypto_ec_point_cmp(ec, G, kG) != 0, "point_cmp", g);
	check(crypto_ec_point_invert(ec, G) == 0 &&
	      point_is(ec, G, t->gx, t->neg_gy) &&
	      crypto_ec_point_is_on_curve(ec, G), "point_invert", g);

	crypto_ec_point_deinit(G, 0);
	crypto_ec_point_deinit(kG, 0);
	crypto_ec_point_deinit(r, 0);
	crypto_bignum_deinit(k, 0);
	crypto_bignum_deinit(yx, 0);
	crypto_bignum_deinit(ysqr, 0);
	crypto_ec_deinit(ec);
}

/* IEEE Std 802.11-2020, Annex J.10: SAE test vector, group 19. */
static const char j10_addr1[] = "4d3f2fffe387", j10_addr2[] = "a5d8aa958e3c";
static const char j10_ssid[] = "byteme", j10_pw[] = "mekmitasdigoat";
static const char j10_pwid[] = "psk4internet";
static const char j10_rand[] =
	"992465fd3daa3c60aa6565b7f62a2a7f2e12dd12f198faf4fbed89d7ff1ace94";
static const char j10_mask[] =
	"9507a90f777a044d6a0830b91ea3d5dd70bece44e1acffb86983b5e1bf9fb322";
static const char j10_local_commit[] =
	"13002e2c0f0db52440ad146d967114ce005ce1eab0aa2c2e5c2871b774f6c257"
	"5c65d5ad9e00829707aa36ba8b859738fc961d08243505f47c035376d7ac4bc8"
	"d7b95083bf43827d0fc31ed778dd3671fd21a46d1091d64b6f9a1e1272621325"
	"dbe1";
static const char j10_peer_commit[] =
	"1300591b96f3397fb945100848e7b550543b6720d88337ee93fc49fd6df7e08b"
	"5223e71b9bb048d3873f20556953a96c91536fd8ee6ca9b4a68a148b056a909b"
	"e03e83ae208f60f8ef5537858074db06687032399862999b511e0a1552a5fea3"
	"17c2";
static const char j10_kck[] =
	"1e733f6d9bd53256287304338831b09a39406d121017073a5c30db36f36cb81a";
static const char j10_pmk[] =
	"4e4dfab1a2dd8ac1a91790f953faaa452ae5c6873ab75b63605ba663f8a7fe59";
static const char j10_pmkid[] = "8747a600eea3f9f22475df58ca1e5498";
/* Hash-to-element: PT for the SSID, password and identifier above, then
 * the PWE for this pair of addresses. */
static const char j10_h2e_addr1[] = "00095b66ec1e";
static const char j10_h2e_addr2[] = "000b6bd90246";
static const char j10_h2e_pwe_x[] =
	"c93049b9e64000f848201649e999f2b5c22dea69b5632c9df4d633b8aa1f6c1e";
static const char j10_h2e_pwe_y[] =
	"73634e94b53d82e7383a8d258199d9dc1a5ee8269d060382ccbf33e614ff59a0";

static int bytes_are(const u8 *got, size_t len, const char *hex)
{
	u8 want[128];

	return os_strlen(hex) == 2 * len && len <= sizeof(want) &&
		hexstr2bin(hex, want, len) == 0 &&
		os_memcmp(got, want, len) == 0;
}

static void addr(const char *hex, u8 *a)
{
	if (hexstr2bin(hex, a, ETH_ALEN) < 0)
		abort();
}

static void sae_vector_tests(void)
{
	struct sae_data sae;
	struct wpabuf *buf = wpabuf_alloc(1000), *peer = NULL;
	struct crypto_bignum *mask = bn(j10_mask);
	struct sae_pt *pt = NULL;
	struct crypto_ec_point *pwe = NULL;
	int groups[] = { 19, 0 };
	u8 a1[ETH_ALEN], a2[ETH_ALEN];
	int ok;

	os_memset(&sae, 0, sizeof(sae));
	addr(j10_addr1, a1);
	addr(j10_addr2, a2);
	/* Hunting and pecking finds the PWE, then the vector's rand and
	 * mask replace the random ones: scalar = rand + mask mod r,
	 * element = -(mask * PWE). */
	ok = sae_set_group(&sae, 19) == 0 &&
		sae_prepare_commit(a1, a2, (const u8 *) j10_pw,
				   os_strlen(j10_pw), &sae) == 0;
	check(ok, "hunting and pecking: prepare commit", 19);
	if (ok) {
		crypto_bignum_deinit(sae.tmp->sae_rand, 1);
		sae.tmp->sae_rand = bn(j10_rand);
		ok = crypto_bignum_add(sae.tmp->sae_rand, mask,
				       sae.tmp->own_commit_scalar) == 0 &&
			crypto_bignum_mod(sae.tmp->own_commit_scalar,
					  sae.tmp->order,
					  sae.tmp->own_commit_scalar) == 0 &&
			crypto_ec_point_mul(sae.tmp->ec, sae.tmp->pwe_ecc,
					    mask,
					    sae.tmp->own_commit_element_ecc)
			== 0 &&
			crypto_ec_point_invert(sae.tmp->ec,
					       sae.tmp->own_commit_element_ecc)
			== 0 &&
			sae_write_commit(&sae, buf, NULL, NULL) == 0 &&
			bytes_are(wpabuf_head(buf), wpabuf_len(buf),
				  j10_local_commit);
		check(ok, "hunting and pecking: commit = Annex J.10", 19);
		peer = wpabuf_parse_bin(j10_peer_commit);
		ok = peer && sae_parse_commit(&sae, wpabuf_head(peer),
					      wpabuf_len(peer), NULL, NULL,
					      NULL, 0) == 0 &&
			sae_process_commit(&sae) == 0;
		check(ok, "hunting and pecking: process peer commit", 19);
		check(ok && bytes_are(sae.tmp->kck, SAE_KCK_LEN, j10_kck) &&
		      bytes_are(sae.pmk, SAE_PMK_LEN, j10_pmk) &&
		      bytes_are(sae.pmkid, SAE_PMKID_LEN, j10_pmkid),
		      "hunting and pecking: KCK, PMK, PMKID = Annex J.10", 19);
	}
	sae_clear_data(&sae);

	pt = sae_derive_pt(groups, (const u8 *) j10_ssid, os_strlen(j10_ssid),
			   (const u8 *) j10_pw, os_strlen(j10_pw), j10_pwid);
	check(pt != NULL, "hash to element: derive PT", 19);
	addr(j10_h2e_addr1, a1);
	addr(j10_h2e_addr2, a2);
	if (pt)
		pwe = sae_derive_pwe_from_pt_ecc(pt, a1, a2);
	check(pwe && point_is(pt->ec, pwe, j10_h2e_pwe_x, j10_h2e_pwe_y),
	      "hash to element: PWE = Annex J.10", 19);

	crypto_ec_point_deinit(pwe, 1);
	sae_deinit_pt(pt);
	crypto_bignum_deinit(mask, 1);
	wpabuf_free(buf);
	wpabuf_free(peer);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int commit(struct sae_data *sae, const struct sae_pt *pt,
		  const u8 *own, const u8 *peer, const char *pw)
{
	if (sae_set_group(sae, pt ? pt->group : sae->group) < 0)
		return -1;
	if (pt)
		return sae_prepare_commit_pt(sae, pt, own, peer, NULL, NULL);
	return sae_prepare_commit(own, peer, (const u8 *) pw, os_strlen(pw),
				  sae);
}

static int receive_commit(struct sae_data *to, struct sae_data *from)
{
	struct wpabuf *b = wpabuf_alloc(1000);
	int groups[] = { 19, 20, 21, 0 };
	int ok = b && sae_write_commit(from, b, NULL, NULL) == 0 &&
		sae_parse_commit(to, wpabuf_head(b), wpabuf_len(b), NULL,
				 NULL, groups, to->h2e) == 0 &&
		sae_process_commit(to) == 0;

	wpabuf_free(b);
	return ok ? 0 : -1;
}

static int receive_confirm(struct sae_data *to, struct sae_data *from)
{
	struct wpabuf *b = wpabuf_alloc(1000);
	int ok = b && sae_write_confirm(from, b) == 0 &&
		sae_check_confirm(to, wpabuf_head(b), wpabuf_len(b)) == 0;

	wpabuf_free(b);
	return ok ? 0 : -1;
}

/* A station and an access point run SAE with each other, as the two
 * daemons would: both must accept the other's confirm and end with the
 * same PMK. */
static void exchange(int group, int h2e)
{
	static const char ssid[] = "wifibox", pw[] = "correct horse battery";
	const u8 sta[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };
	const u8 ap[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };
	int groups[] = { group, 0 };
	struct sae_pt *pt = NULL;
	struct sae_data s, a;
	char what[80];
	double t0 = now();
	int ok;

	os_memset(&s, 0, sizeof(s));
	os_memset(&a, 0, sizeof(a));
	s.group = a.group = group;
	if (h2e)
		pt = sae_derive_pt(groups, (const u8 *) ssid,
				   os_strlen(ssid), (const u8 *) pw,
				   os_strlen(pw), NULL);
	ok = (!h2e || pt) &&
		commit(&s, pt, sta, ap, pw) == 0 &&
		commit(&a, pt, ap, sta, pw) == 0 &&
		receive_commit(&a, &s) == 0 && receive_commit(&s, &a) == 0 &&
		receive_confirm(&a, &s) == 0 && receive_confirm(&s, &a) == 0 &&
		os_memcmp(s.pmk, a.pmk, SAE_PMK_LEN) == 0 &&
		os_memcmp(s.pmkid, a.pmkid, SAE_PMKID_LEN) == 0;
	os_snprintf(what, sizeof(what), "%s exchange, PMKs agree, %.0f ms",
		    h2e ? "hash-to-element" : "hunting-and-pecking",
		    (now() - t0) * 1000);
	check(ok, what, group);
	sae_deinit_pt(pt);
	sae_clear_data(&s);
	sae_clear_data(&a);
}

/* OWE's Diffie-Hellman runs on the same glue: x-only public keys, both
 * sides must compute the same secret. */
static void ecdh_test(int group)
{
	struct crypto_ecdh *s = crypto_ecdh_init(group);
	struct crypto_ecdh *a = crypto_ecdh_init(group);
	struct wpabuf *spub = s ? crypto_ecdh_get_pubkey(s, 0) : NULL;
	struct wpabuf *apub = a ? crypto_ecdh_get_pubkey(a, 0) : NULL;
	struct wpabuf *ss = NULL, *as = NULL;

	if (spub && apub) {
		ss = crypto_ecdh_set_peerkey(s, 0, wpabuf_head(apub),
					     wpabuf_len(apub));
		as = crypto_ecdh_set_peerkey(a, 0, wpabuf_head(spub),
					     wpabuf_len(spub));
	}
	check(s && a, "OWE ECDH, init", group);
	check(spub && apub && wpabuf_len(spub) == crypto_ecdh_prime_len(s),
	      "OWE ECDH, public keys", group);
	check(ss && as, "OWE ECDH, set peer key", group);
	check(ss && as && wpabuf_len(ss) == crypto_ecdh_prime_len(s) &&
	      wpabuf_len(ss) == wpabuf_len(as) &&
	      os_memcmp(wpabuf_head(ss), wpabuf_head(as), wpabuf_len(ss)) == 0,
	      "OWE ECDH, secrets agree", group);
	wpabuf_free(spub);
	wpabuf_free(apub);
	wpabuf_clear_free(ss);
	wpabuf_clear_free(as);
	crypto_ecdh_deinit(s);
	crypto_ecdh_deinit(a);
}

static const char *running;

static void timeout(int sig)
{
	/* The failure seen in the guest was a spin, not a wrong answer. */
	static const char msg[] = ": still computing after 30 s\n";

	(void) sig;
	if (write(STDOUT_FILENO, "FAIL ", 5) < 0 ||
	    write(STDOUT_FILENO, running, os_strlen(running)) < 0 ||
	    write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

/* Runs one group of checks in a child, so that a crash or a spin in one
 * is reported and the others still run. */
static void run(void (*fn)(const void *), const void *arg, const char *name)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		failed = 0;
		running = name;
		signal(SIGALRM, timeout);
		alarm(30);
		fn(arg);
		_exit(failed ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		check(0, "fork", 0);
		return;
	}
	if (WIFSIGNALED(status)) {
		printf("FAIL %s: killed by signal %d\n", name,
		       WTERMSIG(status));
		failed++;
	} else if (WEXITSTATUS(status) != 0) {
		failed++;
	}
}

static void run_bignum(const void *arg)
{
	(void) arg;
	bignum_tests();
}

static void run_ec(const void *arg)
{
	ec_tests(arg);
}

static void run_vectors(const void *arg)
{
	(void) arg;
	sae_vector_tests();
}

static void run_ecdh(const void *arg)
{
	ecdh_test(((const struct ec_kat *) arg)->group);
}

static void run_exchange(const void *arg)
{
	const int *gm = arg;

	exchange(gm[0], gm[1]);
}

int main(int argc, char **argv)
{
	int gm[2];
	size_t i;

	wpa_debug_level = argc > 1 && os_strcmp(argv[1], "-d") == 0 ?
		MSG_EXCESSIVE : MSG_ERROR;
	setvbuf(stdout, NULL, _IOLBF, 0);

	run(run_bignum, NULL, "bignum");
	for (i = 0; i < ARRAY_SIZE(ec_kats); i++) {
		run(run_ec, &ec_kats[i], "elliptic curve");
		run(run_ecdh, &ec_kats[i], "ECDH");
	}
	run(run_vectors, NULL, "Annex J.10 vectors");
	for (i = 0; i < ARRAY_SIZE(ec_kats); i++) {
		for (gm[1] = 0; gm[1] <= 1; gm[1]++) {
			gm[0] = ec_kats[i].group;
			run(run_exchange, gm, gm[1] ? "hash-to-element exchange" :
			    "hunting-and-pecking exchange");
		}
	}
	printf("%s: %d group(s) of checks failed\n",
	       failed ? "FAIL" : "PASS", failed);
	return failed ? 1 : 0;
}
