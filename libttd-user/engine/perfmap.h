/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf's map of generated code (/tmp/perf-PID.map): names every
 * translated block after the application address it came from, so that
 * "perf report" on a program running under the engine shows where its
 * time goes.
 */
#ifndef TTD_ENGINE_PERFMAP_H
#define TTD_ENGINE_PERFMAP_H

#include <stdint.h>

void perfmap_block(const void *code, uint32_t len, uint64_t app_pc);
void perfmap_flush(void);

#endif
