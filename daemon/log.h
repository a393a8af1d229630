/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ttdd logging.  In the foreground messages go to stderr; when stderr is
 * the journal (systemd sets JOURNAL_STREAM) each line carries a "<N>"
 * priority prefix so that journalctl -p works; a detached daemon logs
 * through syslog(3).
 */
#ifndef TTDD_LOG_H
#define TTDD_LOG_H

#include <syslog.h>

void log_init(int use_syslog, int verbose);
void log_msg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
