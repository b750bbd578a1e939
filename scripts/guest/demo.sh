#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest job of `make run`: a live demonstration of vtcp. It loads the
# module, gives vtcp0 the host's addresses, and has the host's own curl and
# nc talk TCP to servers that live on /dev/vtcp (vtcpctl), in both
# directions and over IPv4 and IPv6; it shows vtcpctl ls while a connection
# is open and vtcpctl stat afterwards, then unloads vtcp.
#
# Each step ends in "ok N what" or "not ok N what"; the list is printed
# again at the end between VTCP-TAP-BEGIN/END markers for scripts/judge.py,
# followed by "VTCP-DEMO: ok" when every step did what it says.
PATH=${VTCP_TOOLS:-$VTCP_BUILD/tools}:$PATH
tap=/tmp/demo.tap
n=0
: > $tap

section() {
	echo
	echo "======== $* ========"
}

say() {
	echo "# $*"
}

# Print a command (on stderr, so redirections keep only its output), then
# run it.
run() {
	echo "\$ $*" >&2
	"$@"
}

step() { # status what
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2" | tee -a $tap
	else
		echo "not ok $n $2" | tee -a $tap
	fi
}

# Wait (up to 5 s) until vtcp has a listener on $1 (as /proc/net/vtcp
# writes it, e.g. 192.0.2.2:80).
wait_listen() {
	i=0
	while [ $i -lt 50 ]; do
		grep -q "LISTEN $1 " /proc/net/vtcp 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Wait (up to 5 s) until file $1 has a line matching $2.
wait_line() {
	i=0
	while [ $i -lt 50 ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

section "1. Load vtcp"
say "vtcp.ko registers the network device vtcp0 and the character device /dev/vtcp."
run insmod "$VTCP_DIR/vtcp.ko"
st=$?
run ip -d link show vtcp0 || st=1
run ls -l /dev/vtcp || st=1
step $st "insmod vtcp.ko creates vtcp0 and /dev/vtcp"

section "2. Give vtcp0 the host's addresses"
say "The host owns 192.0.2.1 and 2001:db8::1; every other address of these"
say "prefixes is routed into vtcp0, where vtcp is the TCP peer."
run ip link set vtcp0 up &&
	run ip addr add 192.0.2.1/24 dev vtcp0 &&
	run ip -6 addr add 2001:db8::1/64 dev vtcp0 nodad
st=$?
run ip addr show dev vtcp0
run ip route get 192.0.2.2
step $st "vtcp0 is up with 192.0.2.1/24 and 2001:db8::1/64"

section "3. The host's curl fetches a page from a server on /dev/vtcp"
say "vtcpctl listens on vtcp0 at 192.0.2.2:80 and answers HTTP; -v reports"
say "each connection with its VTCP_IOC_INFO at close (like ss -ti)."
echo "\$ vtcpctl listen -v --http 192.0.2.2:80 &"	# not run(): $! is vtcpctl
vtcpctl listen -v --http 192.0.2.2:80 &
http_pid=$!
wait_listen 192.0.2.2:80
run timeout 20 curl -sS -i --max-time 10 http://192.0.2.2/ > /tmp/page
st=$?
cat /tmp/page
[ $st -eq 0 ] && grep -q "^HTTP/1.1 200 OK" /tmp/page &&
	grep -q "Hello from vtcp" /tmp/page
step $? "curl http://192.0.2.2/ gets the page vtcpctl wrote to /dev/vtcp"

section "4. nc talks to an echo server on /dev/vtcp over IPv6"
echo "\$ vtcpctl listen -v --echo [2001:db8::2]:7 &"
vtcpctl listen -v --echo "[2001:db8::2]:7" &
echo_pid=$!
wait_listen "\[2001:db8::2\]:7"
rm -f /tmp/nc.in
mkfifo /tmp/nc.in
say "nc -N [2001:db8::2] 7, fed a line at a time; the connection stays open"
timeout 30 nc -N -w 10 2001:db8::2 7 < /tmp/nc.in > /tmp/nc.out &
nc_pid=$!
exec 3> /tmp/nc.in
echo "hello through vtcp, over IPv6" >&3
wait_line /tmp/nc.out "hello through vtcp"
echo "nc received: $(cat /tmp/nc.out)"
grep -qx "hello through vtcp, over IPv6" /tmp/nc.out
step $? "nc gets its line echoed by vtcpctl --echo"

say "while nc's connection is open:"
run vtcpctl ls | tee /tmp/ls.out
grep -q "ESTABLISHED.*\[2001:db8::2\]:7 *\[2001:db8::1\]:" /tmp/ls.out &&
	grep -q "LISTEN.*192.0.2.2:80" /tmp/ls.out
step $? "vtcpctl ls shows the listeners and nc's open connection"

echo "one more line" >&3
wait_line /tmp/nc.out "one more line"
exec 3>&-
wait $nc_pid
st=$?
echo "nc received: $(cat /tmp/nc.out | tr '\n' '|')"
[ $st -eq 0 ] && [ "$(wc -l < /tmp/nc.out)" -eq 2 ]
step $? "nc closes its side; vtcp echoes the rest and closes too"

section "5. vtcp connects out to the host's nc -l"
say "vtcp opens the connection this time: from 192.0.2.2 to a host listener."
timeout 30 sh -c 'echo "hello back from the host" | nc -N -l 192.0.2.1 8080' > /tmp/host.out &
host_pid=$!
i=0
while [ $i -lt 50 ] && ! ss -ltn | grep -q "192.0.2.1:8080 "; do
	sleep 0.1
	i=$((i + 1))
done
echo "hello from vtcp's side" |
	run timeout 20 vtcpctl connect -v 192.0.2.2 192.0.2.1:8080 > /tmp/vtcp.out
st=$?
wait $host_pid || st=1
echo "the host's nc received: $(cat /tmp/host.out)"
echo "vtcpctl connect received: $(cat /tmp/vtcp.out)"
[ $st -eq 0 ] && grep -qx "hello from vtcp's side" /tmp/host.out &&
	grep -qx "hello back from the host" /tmp/vtcp.out
step $? "vtcpctl connect and the host's nc -l exchange a line each way"

section "6. Counters"
run vtcpctl stat | tee /tmp/stat.out
grep -Eq "passive_opens +[1-9]" /tmp/stat.out &&
	grep -Eq "active_opens +[1-9]" /tmp/stat.out
step $? "vtcpctl stat counts the connections vtcp opened and accepted"
run ip -s link show dev vtcp0

section "7. Stop the servers and unload vtcp"
echo "\$ kill -TERM <both vtcpctl listen>" >&2
kill -TERM $http_pid $echo_pid
wait $http_pid
st=$?
wait $echo_pid || st=1
step $st "both servers stop cleanly on SIGTERM"
run vtcpctl ls
run rmmod vtcp
[ ! -e /sys/module/vtcp ] && [ ! -e /dev/vtcp ]
step $? "rmmod vtcp unloads it, vtcp0 and /dev/vtcp gone"

section "Summary"
echo "VTCP-TAP-BEGIN demo"
echo "1..$n"
cat $tap
echo "VTCP-TAP-END demo 0"
if grep -q "^not ok" $tap; then
	echo "VTCP-DEMO: FAILED"
	exit 1
fi
echo "VTCP-DEMO: ok"
exit 0
