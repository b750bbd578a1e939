// SPDX-License-Identifier: GPL-2.0
/*
 * pktdrill_test: every script in the script directory (or those named as
 * arguments) is one TAP case, run in a child of its own; XFAIL and the
 * retries are as Documentation/pktdrill.rst says, in "Running".
 */
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "kselftest.h"
#include "pd.h"

#define PD_MAX_XFAIL	128

struct pd_xfail {
	char name[128];
	char reason[256];
};

/* The scripts expected to fail, from @dir/XFAIL; how many. */
static int pd_load_xfail(const char *dir, struct pd_xfail *x, int max)
{
	char path[4200], line[512];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/XFAIL", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && n < max) {
		char *name = line, *reason;

		name += strspn(name, " \t");
		if (*name == '#' || *name == '\n' || !*name)
			continue;
		reason = name + strcspn(name, " \t\n");
		if (*reason)
			*reason++ = '\0';
		reason += strspn(reason, " \t");
		reason[strcspn(reason, "\n")] = '\0';
		snprintf(x[n].name, sizeof(x[n].name), "%s", name);
		snprintf(x[n].reason, sizeof(x[n].reason), "%s", reason);
		n++;
	}
	fclose(f);
	return n;
}

static bool pd_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/*
 * $VTCP_PKTDRILL_DIR, else ../pktdrill beside this binary (the QEMU
 * initramfs), else the source tree's (compiled in).
 */
static void pd_script_dir(char *dir, size_t size)
{
	const char *env = getenv("VTCP_PKTDRILL_DIR");
	char exe[2048];
	ssize_t n;

	if (env) {
		snprintf(dir, size, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		snprintf(dir, size, "%s/../pktdrill", exe);
		if (pd_is_dir(dir))
			return;
	}
#ifdef VTCP_PKTDRILL_SRCDIR
	snprintf(dir, size, "%s", VTCP_PKTDRILL_SRCDIR);
#else
	snprintf(dir, size, "pktdrill");
#endif
}

static int pd_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.pkt files of @dir, sorted, into *@names; how many, or -errno. */
static int pd_list_scripts(const char *dir, char ***names)
{
	struct dirent *de;
	int n = 0, max = 0;
	DIR *d = opendir(dir);

	*names = NULL;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".pkt"))
			continue;
		if (n == max) {
			max = max ? 2 * max : 64;
			*names = realloc(*names, max * sizeof(**names));
		}
		(*names)[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(*names, n, sizeof(**names), pd_cmp);
	return n;
}

/* Run one script in a child; 0 if it passed. */
static int pd_run_one(const char *dir, const char *name, uint16_t rport)
{
	static struct pd_script s;
	char path[4400];
	int status;
	pid_t pid;

	memset(&s, 0, sizeof(s));
	s.name = name;
	s.family = AF_INET;
	s.tol = PD_NSEC / 10;
	s.vport = 8080;
	s.rport = rport;
	s.isn = 3000000000U;
	s.timeout = 60;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pd_parse_script(path, &s))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		return 1;
	}
	if (!pid)
		exit(pd_run_script(&s));
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	if (WIFSIGNALED(status)) {
		printf("# %s: %s after %d s\n", name,
		       WTERMSIG(status) == SIGALRM ? "timed out" : "killed",
		       s.timeout);
		return 1;
	}
	return WEXITSTATUS(status);
}

/* The reason @name is listed in XFAIL, or NULL. */
static const char *pd_xfail_reason(const struct pd_xfail *x, int nx,
				   const char *name)
{
	const char *reason = NULL;
	int i;

	for (i = 0; i < nx; i++)
		if (!strcmp(x[i].name, name))
			reason = x[i].reason;
	return reason;
}

/*
 * Run @name, and again after a failure: a script that fails for a bug
 * fails again; one whose timing a loaded machine upset (a guest stalled
 * for 100 ms) seldom does. Listed scripts run once: a stall makes no
 * script pass. Each run has a peer port of its own, @port, then @port +
 * @stride and on. 0 if it passed.
 */
static int pd_run_retried(const char *dir, const char *name, bool listed,
			  uint16_t port, int stride, int retries)
{
	int ret = pd_run_one(dir, name, port);
	int j;

	for (j = 1; ret && !listed && j <= retries; j++) {
		ksft_print_msg("%s failed: running it again (%d of %d)\n",
			       name, j, retries);
		ret = pd_run_one(dir, name, port + j * stride);
	}
	return ret;
}

/* vtcp loaded and vtcp0 up with the host's addresses. */
static int pd_setup(void)
{
	if (vtcp_module_ensure())
		return -1;
	return vtcp_sh("ip link set " PD_DEV " up && "
		       "ip addr replace " PD_HOST4 "/24 dev " PD_DEV " && "
		       "ip -6 addr replace " PD_HOST6 "/64 dev " PD_DEV " nodad");
}

int main(int argc, char **argv)
{
	struct pd_xfail xfail[PD_MAX_XFAIL];
	int nx, n, i, retries = 1;
	char dir[4096], **names;
	uint16_t base;

	ksft_print_header();
	pd_verbose = getenv("VTCP_PKTDRILL_VERBOSE") &&
		     strcmp(getenv("VTCP_PKTDRILL_VERBOSE"), "0");
	if (getenv("VTCP_PKTDRILL_RETRIES"))
		retries = atoi(getenv("VTCP_PKTDRILL_RETRIES"));
	pd_script_dir(dir, sizeof(dir));
	if (argc > 1) {
		n = argc - 1;
		names = argv + 1;
	} else {
		n = pd_list_scripts(dir, &names);
	}
	if (n < 0)
		ksft_exit_fail_msg("no scripts in %s: %s\n", dir, strerror(-n));
	if (!n)
		ksft_exit_skip("no scripts in %s\n", dir);
	nx = pd_load_xfail(dir, xfail, PD_MAX_XFAIL);
	if (pd_setup())
		ksft_exit_fail_msg("cannot set up " PD_DEV "\n");
	ksft_print_msg("scripts from %s\n", dir);
	ksft_set_plan(n);
	/* A fresh peer port per script, and per run of the runner. */
	srand(getpid() ^ time(NULL));
	base = 10000 + rand() % 10000;
	for (i = 0; i < n; i++) {
		const char *reason = pd_xfail_reason(xfail, nx, names[i]);
		int ret = pd_run_retried(dir, names[i], reason, base + i, n,
					 retries);

		/* judge.py counts an expected failure as a SKIP. */
		if (reason && ret)
			ksft_test_result_code(KSFT_SKIP, names[i], "XFAIL: %s",
					      reason);
		else if (reason)
			ksft_test_result_fail("%s # XPASS: listed in XFAIL, but passed\n",
					      names[i]);
		else
			ksft_test_result_code(ret ? KSFT_FAIL : KSFT_PASS,
					      names[i], NULL);
	}
	ksft_finished();
}
