// SPDX-License-Identifier: GPL-2.0
/*
 * The module's pin table (module/pin.c) from the command line:
 *   xbpf pin list [--json]   every pin the caller may see (XBPF_IOC_PIN_NEXT)
 *   xbpf unpin PATH          OBJ_PIN with XBPF_OBJ_F_UNPIN (bpffs's unlink)
 *   xbpf unpin --all         every pin (CAP_SYS_ADMIN)
 * bpftool has no unpin command; pins made through libxbpf-preload.so are
 * removed here.  The module only: pins have no --offline meaning.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/xbpf.h>

#include "json.h"
#include "pin_cmds.h"
#include "util.h"

#define EXIT_REFUSED	1
#define EXIT_USAGE	2

static int pin_dev_open(void)
{
	const char *path = getenv("XBPF_DEVICE");
	int fd;

	if (!path || !*path)
		path = XBPF_DEVICE_PATH;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "xbpf: %s: %s\n", path, xbpf_errstr(errno));
	return fd;
}

static const char *pin_type_name(uint32_t type)
{
	switch (type) {
	case XBPF_PIN_PROG:
		return "prog";
	case XBPF_PIN_MAP:
		return "map";
	case XBPF_PIN_LINK:
		return "link";
	default:
		return "unknown";
	}
}

static int pin_list(int dev, int json)
{
	struct xbpf_pin_info info;
	struct xbpf_json j;
	char path[PATH_MAX];
	int err = 0;

	if (json) {
		xbpf_json_init(&j, stdout);
		xbpf_json_begin_array(&j);
	}
	path[0] = '\0';
	for (;;) {
		memset(&info, 0, sizeof(info));
		info.path = (uint64_t)(uintptr_t)path;
		info.path_size = sizeof(path);
		if (ioctl(dev, XBPF_IOC_PIN_NEXT, &info)) {
			if (errno != ENOENT)
				err = errno;
			break;
		}
		if (json) {
			xbpf_json_begin_object(&j);
			xbpf_json_kv_string(&j, "path", path);
			xbpf_json_kv_string(&j, "type", pin_type_name(info.type));
			xbpf_json_kv_u64(&j, "id", info.id);
			xbpf_json_kv_u64(&j, "uid", info.uid);
			xbpf_json_end_object(&j);
		} else {
			printf("%s  %s id %u  uid %u\n", path,
			       pin_type_name(info.type), info.id, info.uid);
		}
	}
	if (json)
		xbpf_json_end_array(&j);
	if (err) {
		fprintf(stderr, "xbpf: pin list: %s\n", xbpf_errstr(err));
		return EXIT_REFUSED;
	}
	return 0;
}

/* path NULL: every pin. */
static int pin_unpin(int dev, const char *path)
{
	union xbpf_attr a;
	struct xbpf_cmd c = {
		.cmd = XBPF_OBJ_PIN,
		.size = sizeof(a),
		.attr = (uint64_t)(uintptr_t)&a,
	};

	memset(&a, 0, sizeof(a));
	a.pathname = (uint64_t)(uintptr_t)path;
	a.bpf_fd = (uint32_t)-1;
	a.file_flags = XBPF_OBJ_F_UNPIN;
	if (ioctl(dev, XBPF_IOC_BPF, &c)) {
		fprintf(stderr, "xbpf: unpin %s: %s\n", path ? path : "--all",
			xbpf_errstr(errno));
		return EXIT_REFUSED;
	}
	return 0;
}

void xbpf_pin_usage(FILE *f)
{
	fprintf(f,
"\n"
"Pins (module/pin.c; made by OBJ_PIN, e.g. bpftool through libxbpf-preload.so):\n"
"       xbpf pin list [--json]   path, kind, object id, pinner's uid of each pin\n"
"                                (CAP_SYS_ADMIN sees every pin, others their own)\n"
"       xbpf unpin PATH | --all  drops a pin (its pinner or CAP_SYS_ADMIN) or\n"
"                                every pin (CAP_SYS_ADMIN); rmmod needs none left\n");
}

int xbpf_cmd_pin(int argc, char **argv)
{
	int dev, ret, json = 0;

	if (!strcmp(argv[0], "pin")) {
		if (argc < 2 || strcmp(argv[1], "list") ||
		    (argc == 3 && strcmp(argv[2], "--json")) || argc > 3) {
			fprintf(stderr, "xbpf: usage: xbpf pin list [--json]\n");
			return EXIT_USAGE;
		}
		json = argc == 3;
	} else if (argc != 2 || !argv[1][0]) {
		fprintf(stderr, "xbpf: usage: xbpf unpin PATH | --all\n");
		return EXIT_USAGE;
	}
	dev = pin_dev_open();
	if (dev < 0)
		return EXIT_USAGE;
	if (json || !strcmp(argv[0], "pin"))
		ret = pin_list(dev, json);
	else
		ret = pin_unpin(dev, strcmp(argv[1], "--all") ? argv[1] : NULL);
	close(dev);
	return ret;
}
