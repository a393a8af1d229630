/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel records (include/uapi/linux/ttd.h) as events of a recording's
 * per-CPU streams: the event type each record is stored under, and the
 * one-line formatters that make them readable in `ttdctl dump`.  The
 * payload of every such event is the record itself, header included, so
 * that no information is lost and readers need only the uapi header.
 */
#ifndef TTDD_KEV_H
#define TTDD_KEV_H

#include <stddef.h>
#include <stdint.h>

/* Event type (enum ttd_event_type) for a TTD_REC_* type; 0 to skip. */
uint16_t kev_event_type(unsigned int rec_type);
/* Format one record payload into buf. */
void kev_format(const void *payload, size_t len, char *buf, size_t buflen);
/* Register the formatters with the format library's type table. */
int kev_register_formatters(void);

#endif
