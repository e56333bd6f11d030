/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the port glue. */
#ifndef PORT_PRIVATE_H
#define PORT_PRIVATE_H

#include "np_port.h"

#define NP_LOGTYPE np_port_logtype
extern int np_port_logtype;

struct np_port {
	struct np_port_info info;
};

#endif /* PORT_PRIVATE_H */
