#include "errcode.h"

const char *netd_err_name(enum netd_err code)
{
#define NETD_ERR_NAME(name) #name,
	static const char *const names[NETD_ERR_COUNT] = { NETD_ERRCODES(NETD_ERR_NAME) };
#undef NETD_ERR_NAME

	if (code == ERR_NONE || (unsigned)code >= NETD_ERR_COUNT)
		return "";
	return names[code];
}
