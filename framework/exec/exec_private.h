/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the exec module. Not installed. */
#ifndef EXEC_PRIVATE_H
#define EXEC_PRIVATE_H

#include "np_error_private.h"
#include "np_exec_worker.h"

#define NP_LOGTYPE np_exec_logtype
extern int np_exec_logtype;

#endif /* EXEC_PRIVATE_H */
