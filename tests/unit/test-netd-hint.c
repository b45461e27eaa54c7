/* The last-uplink hint's file (issue 18): what netd writes it reads back,
 * and what a host-writable share may hold instead is refused. */
#include "hint.h"
#include "check.h"

#include <arpa/inet.h>
#include <string.h>

TEST(hint_written_then_read_back)
{
	struct uplink_hint h = { .freq_mhz = 5745 }, back;
	char text[HINT_TEXT_MAX];
	const char *why = NULL;

	strcpy(h.ssid, "caf\\xc3\\xa9 wifi");
	strcpy(h.bssid, "02:00:00:00:01:00");
	inet_pton(AF_INET, "192.168.50.150", &h.ip);
	CHECK(hint_format(&h, text, sizeof(text)) > 0);
	CHECK_STR(text, "ssid=caf\\xc3\\xa9 wifi\nbssid=02:00:00:00:01:00\nfreq_mhz=5745\nip=192.168.50.150\n");
	CHECK_INT(hint_parse(text, &back, &why), 0);
	CHECK_STR(back.ssid, h.ssid);
	CHECK_STR(back.bssid, h.bssid);
	CHECK_INT(back.freq_mhz, 5745);
	CHECK_INT(back.ip.s_addr, h.ip.s_addr);
	CHECK_INT(hint_format(&h, text, 20), -1);
}

TEST(hint_without_an_address_is_still_a_channel)
{
	struct uplink_hint h;
	const char *why = NULL;

	CHECK_INT(hint_parse("ssid=x\nfreq_mhz=2412\nip=\n", &h, &why), 0);
	CHECK_INT(h.ip.s_addr, 0);
	CHECK_INT(h.freq_mhz, 2412);
}

TEST(hint_refuses_what_is_not_a_hint)
{
	struct uplink_hint h;
	const char *why = NULL;

	CHECK_INT(hint_parse("freq_mhz=2412\n", &h, &why), -1);
	CHECK_STR(why, "no ssid= line");
	CHECK_INT(hint_parse("ssid=x\nfreq_mhz=2412x\n", &h, &why), -1);
	CHECK_INT(hint_parse("ssid=x\nfreq_mhz=2399\n", &h, &why), -1);
	CHECK_INT(hint_parse("ssid=x\nfreq_mhz=7201\n", &h, &why), -1);
	CHECK_INT(hint_parse("ssid=x\nfreq_mhz=\n", &h, &why), -1);
	CHECK_INT(hint_parse("ssid=x\n", &h, &why), -1);
	CHECK_STR(why, "freq_mhz= is not a frequency from 2400 to 7200 MHz");
	CHECK_INT(hint_parse("ssid=x\nfreq_mhz=2412\nip=10.0.0.300\n", &h, &why), -1);
	CHECK_STR(why, "ip= is not an IPv4 address");
	CHECK_INT(hint_parse("", &h, &why), -1);
}
