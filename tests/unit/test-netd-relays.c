/* forwarding.conf (issue 16): Wifibox's socat lines that the guest
 * relays itself, and what a line outside that subset is told. */
#include "relays.h"
#include "check.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct relay_list list;
static char errors[8192];
static unsigned n_errors;

/* Parses text as "forwarding.conf"; the log lines land in errors. */
static void parse(const char *text)
{
	struct conf_reader r;
	FILE *capture = tmpfile();
	int saved = dup(2);
	size_t len;

	log_open("test", LOG_SINK_STDERR);
	dup2(fileno(capture), 2);
	conf_open_mem(&r, "forwarding.conf", text, strlen(text));
	n_errors = relays_parse(&r, &list);
	conf_close(&r);
	dup2(saved, 2);
	close(saved);
	rewind(capture);
	len = fread(errors, 1, sizeof(errors) - 1, capture);
	errors[len] = '\0';
	fclose(capture);
}

static const char *to(size_t i)
{
	static char buf[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &list.r[i].to, buf, sizeof(buf));
}

TEST(relays_wifiboxs_sample_line)
{
	parse("# a comment\nUDP4-RECV:11223,broadcast,reuseaddr UDP4:10.0.0.2:11223\n");
	CHECK_INT(n_errors, 0);
	CHECK_INT(list.n, 1);
	CHECK_INT(list.r[0].port, 11223);
	CHECK_STR(to(0), "10.0.0.2");
	CHECK_INT(list.r[0].to_port, 11223);
	CHECK_INT(list.r[0].line, 2);
}

TEST(relays_other_socat_spellings)
{
	parse("udp4-recvfrom:5000,fork udp4-sendto:10.0.0.255:5001,broadcast\n"
	      "UDP-RECV:6000 UDP-DATAGRAM:10.0.0.3:6000\n");
	CHECK_INT(n_errors, 0);
	CHECK_INT(list.n, 2);
	CHECK_STR(to(0), "10.0.0.255");
	CHECK_INT(list.r[0].to_port, 5001);
	CHECK_INT(list.r[1].port, 6000);
}

TEST(relays_outside_the_subset_say_what_is_supported)
{
	parse("TCP4-LISTEN:80 UDP4:10.0.0.2:80\n"
	      "UDP4-RECV:80,bind=1.2.3.4 UDP4:10.0.0.2:80\n"
	      "UDP4-RECV:80 EXEC:/bin/sh\n"
	      "UDP4-RECV:0 UDP4:10.0.0.2:80\n"
	      "UDP4-RECV:81 UDP4:10.0.0.2\n"
	      "UDP4-RECV:82 UDP4:ten:82\n"
	      "UDP4-RECV:83\n"
	      "UDP4-RECV:84 UDP4:10.0.0.2:70000\n"
	      "UDP4-RECV:85 UDP4:10.0.0.2:85\n"
	      "UDP4-RECV:85 UDP4:10.0.0.3:85\n");
	CHECK_INT(n_errors, 9);
	CHECK_INT(list.n, 1);
	CHECK_INT(list.r[0].line, 9);
	CHECK_CONTAINS(errors, "forwarding.conf:1: receiving address 'TCP4-LISTEN' is not supported: "
		       "expected 'UDP4-RECV:PORT[,broadcast,reuseaddr] UDP4:ADDRESS:PORT'");
	CHECK_CONTAINS(errors, "forwarding.conf:2: receiving option 'bind=1.2.3.4' is not supported: the guest "
		       "understands broadcast, reuseaddr and fork");
	CHECK_CONTAINS(errors, "forwarding.conf:3: sending address 'EXEC' is not supported");
	CHECK_CONTAINS(errors, "forwarding.conf:4: receiving port '0' is not a port");
	CHECK_CONTAINS(errors, "forwarding.conf:5: '10.0.0.2': expected ADDRESS:PORT");
	CHECK_CONTAINS(errors, "forwarding.conf:6: 'ten' is not an IPv4 address");
	CHECK_CONTAINS(errors, "forwarding.conf:7: expected two socat addresses, receiving then sending");
	CHECK_CONTAINS(errors, "forwarding.conf:8: sending port '70000' is not a port");
	CHECK_CONTAINS(errors, "forwarding.conf:10: port 85 is received already (line 9)");
}

TEST(relays_a_misspelt_type_gets_a_suggestion)
{
	parse("UDP4-RECVE:1 UDP4:10.0.0.2:1\nUDP4-RECV:1 UPD4:10.0.0.2:1\n");
	CHECK_CONTAINS(errors, "(did you mean 'UDP4-RECV'?)");
	CHECK_CONTAINS(errors, "(did you mean 'UDP4'?)");
}

TEST(relays_at_most_sixteen)
{
	char text[4096];
	size_t len = 0;

	for (int i = 0; i < RELAYS_MAX + 2; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "UDP4-RECV:%d UDP4:10.0.0.2:1\n", 100 + i);
	parse(text);
	CHECK_INT(list.n, RELAYS_MAX);
	CHECK_INT(n_errors, 2);
	CHECK_CONTAINS(errors, "forwarding.conf:17: more than 16 relays");
}

TEST(relays_missing_file_is_no_relays)
{
	CHECK_INT(relays_load("/nonexistent/forwarding.conf", &list), -ENOENT);
	CHECK_INT(list.n, 0);
}
