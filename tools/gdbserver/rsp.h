/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gdb remote serial protocol: packet framing.
 *
 * A packet is "$data#cs" where cs is the modulo-256 sum of the bytes of
 * data, in two hex digits.  Until QStartNoAckMode each packet is answered
 * by '+' (good) or '-' (send it again).  Inside data, '}' escapes the next
 * byte (xor 0x20) and "c*n" repeats c (n - 29) more times.  A lone 0x03
 * byte outside a packet is an interrupt request.
 *
 * A connection reads from one descriptor and writes to another, so it can
 * run over a socket (both the same) or a pair of pipes (gdb's
 * "target remote | command").  It keeps no state outside struct rsp_conn;
 * errors are negative return codes, never exits or messages.
 */
#ifndef TTD_GDB_RSP_H
#define TTD_GDB_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Smallest and default payload limit (PacketSize in qSupported). */
#define RSP_MIN_PACKET 256
#define RSP_DEFAULT_PACKET 16384

/* How often a packet is sent again after a '-' before giving up. */
#define RSP_MAX_RETRIES 8

enum rsp_status {
	RSP_PACKET = 1, /* a packet is in the caller's buffer */
	RSP_INTERRUPT = 2, /* gdb sent 0x03 */
	RSP_EOF = 0, /* the peer closed the connection */
	RSP_ERR_IO = -1, /* read or write failed; errno tells why */
	RSP_ERR_TOO_LONG = -2, /* packet dropped: longer than the limit */
	RSP_ERR_RETRIES = -3, /* the peer kept rejecting our packet */
	RSP_ERR_NOMEM = -4,
	RSP_ERR_MALFORMED = -5, /* packet dropped: bad escape or repeat */
};

struct rsp_conn {
	int in_fd, out_fd;
	bool no_ack;
	bool interrupt_pending; /* 0x03 seen while doing something else */
	size_t max_packet; /* longest decoded payload accepted */
	/* raw input, read ahead */
	unsigned char *in;
	size_t in_pos, in_len, in_cap;
	/* framed output: '$', escaped payload, '#', checksum */
	unsigned char *out;
	size_t out_cap;
	/* counters for tests and diagnostics */
	unsigned long bad_checksums, dropped;
};

/*
 * Set up a connection.  max_packet is clamped to at least RSP_MIN_PACKET.
 * Returns 0 or RSP_ERR_NOMEM.
 */
int rsp_init(struct rsp_conn *c, int in_fd, int out_fd, size_t max_packet);
void rsp_free(struct rsp_conn *c);

/*
 * Wait for the next packet and decode it into buf (max_packet + 1 bytes;
 * a NUL follows the data so text commands can be parsed as strings, but
 * binary payloads may contain NULs: use *len).  A packet with a bad
 * checksum is answered with '-' and skipped; stray bytes between packets
 * are ignored.  Returns RSP_PACKET, RSP_INTERRUPT, RSP_EOF or an error.
 * After RSP_ERR_TOO_LONG or RSP_ERR_MALFORMED the packet has been
 * acknowledged and dropped; the connection is still usable.
 */
int rsp_recv(struct rsp_conn *c, char *buf, size_t *len);

/*
 * Send one packet, escaping '$', '#', '}' and '*', and in ack mode wait
 * for '+' (resending on '-').  Returns 0 or an error.
 */
int rsp_send(struct rsp_conn *c, const void *data, size_t len);
int rsp_send_str(struct rsp_conn *c, const char *s);

/*
 * Without blocking, look for an interrupt byte in what gdb has sent so
 * far.  Packets that arrive meanwhile stay buffered for rsp_recv.
 * Returns true once per 0x03.
 */
bool rsp_poll_interrupt(struct rsp_conn *c);

/* The checksum of a payload as it appears on the wire. */
uint8_t rsp_checksum(const void *data, size_t len);

/* Hex helpers shared by the server and the tests. */
int rsp_hex_val(int ch);
void rsp_hex_encode(char *dst, const void *src, size_t len);
/* Returns the number of bytes decoded, or -1 on a non-hex digit. */
long rsp_hex_decode(void *dst, const char *src, size_t hex_len);

#endif
