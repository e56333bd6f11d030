/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the flow module. Not installed. */
#ifndef FLOW_PRIVATE_H
#define FLOW_PRIVATE_H

#include "np_error_private.h"
#include "np_flow_worker.h"

#define NP_LOGTYPE np_flow_logtype
extern int np_flow_logtype;

/* Slot @pos's header and state. */
static inline struct np_flow_slot_hdr *
flow_slot(const np_flow_table *t, uint32_t pos)
{
	return (struct np_flow_slot_hdr *)(t->state + (size_t)pos * t->slot_size);
}

static inline void *
flow_state(const np_flow_table *t, uint32_t pos)
{
	return t->state + (size_t)pos * t->slot_size + NP__FLOW_STATE_OFFSET;
}

#endif /* FLOW_PRIVATE_H */
