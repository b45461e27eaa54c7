/* Exit statuses, with the meanings init relies on (s6 convention). */
#ifndef UDSP_EXITCODES_H
#define UDSP_EXITCODES_H

#define EXIT_CONFIG 100	/* usage or configuration: permanent, not restarted */
#define EXIT_SYSTEM 111	/* a system call failed: worth restarting */

#endif
