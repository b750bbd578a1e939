// SPDX-License-Identifier: GPL-2.0
/*
 * Endpoints as users write them: 192.0.2.2:80, [2001:db8::2]:80, :80,
 * *:80, 192.0.2.2, 2001:db8::2, 80 (a port alone), or nothing (any).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vtcpctl.h"

static int parse_port(const char *s, __be16 *port)
{
	unsigned long v;
	char *end;

	if (!*s || !strcmp(s, "*")) {
		*port = 0;
		return 0;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > 65535)
		return -1;
	*port = htons(v);
	return 0;
}

static int parse_addr(const char *s, struct vtcp_endpoint *ep)
{
	if (!*s || !strcmp(s, "*")) {
		ep->family = AF_UNSPEC;
		return 0;
	}
	if (inet_pton(AF_INET, s, &ep->addr4) == 1) {
		ep->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, ep->addr6) == 1) {
		ep->family = AF_INET6;
		return 0;
	}
	return -1;
}

/*
 * Fill @ep from @text; a missing address or port is a wildcard (0) unless
 * @need_addr or @need_port. Returns 0, or -1 after saying what is wrong.
 */
int vtcpctl_parse_ep(const char *text, struct vtcp_endpoint *ep,
		     bool need_addr, bool need_port)
{
	char buf[INET6_ADDRSTRLEN + 16];
	const char *addr = buf, *port = "";
	char *colon, *last;

	memset(ep, 0, sizeof(*ep));
	if (strlen(text) >= sizeof(buf))
		goto bad;
	strcpy(buf, text);
	last = strrchr(buf, ':');
	if (buf[0] == '[') {
		colon = strchr(buf, ']');
		if (!colon || (colon[1] && colon[1] != ':'))
			goto bad;
		*colon = '\0';
		addr = buf + 1;
		port = colon[1] ? colon + 2 : "";
	} else if (strspn(buf, "0123456789") == strlen(buf) && *buf) {
		addr = "";
		port = buf;
	} else if (last && last == strchr(buf, ':')) {
		/* One colon: address and port. More: a bare IPv6 address. */
		*last = '\0';
		port = last + 1;
	}
	if (parse_addr(addr, ep) || parse_port(port, &ep->port))
		goto bad;
	if (need_addr && ep->family == AF_UNSPEC) {
		vtcpctl_warn("'%s': an address is needed", text);
		return -1;
	}
	if (need_port && !ep->port) {
		vtcpctl_warn("'%s': a port is needed", text);
		return -1;
	}
	return 0;
bad:
	vtcpctl_warn("'%s' is not an address and port (like 192.0.2.2:80, [2001:db8::2]:80, :80)",
		     text);
	return -1;
}

void vtcpctl_format_ep(const struct vtcp_endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "*";
	char p[8] = "*";

	if (ep->family == AF_INET)
		inet_ntop(AF_INET, &ep->addr4, a, sizeof(a));
	else if (ep->family == AF_INET6)
		inet_ntop(AF_INET6, ep->addr6, a, sizeof(a));
	if (ep->port)
		snprintf(p, sizeof(p), "%u", ntohs(ep->port));
	snprintf(buf, len, ep->family == AF_INET6 ? "[%s]:%s" : "%s:%s", a, p);
}

/* The index of @dev, or 0 after saying it does not exist. */
int vtcpctl_ifindex(const char *dev)
{
	unsigned int ifindex = if_nametoindex(dev);

	if (!ifindex)
		vtcpctl_err(errno, "device %s", dev);
	return ifindex;
}
