#!/usr/bin/env bash
# Debian's Dovecot (IMAP and LMTP) and OpenSMTPD, for the intake tests (test/support/mail-servers.ts), when absent.
# The tests run each server in the foreground from a configuration of their own, on loopback; nothing of the machine's
# mail set-up is used. Installing must not start the packaged services: where no policy-rc.d says so already, one is
# put in place for the install alone and removed after.
set -euo pipefail
if command -v dovecot >/dev/null && command -v smtpd >/dev/null && [ -e /usr/lib/dovecot/lmtp ]; then
  exit 0
fi
placed=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  placed=yes
fi
cleanup() { if [ -n "$placed" ]; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dovecot-imapd dovecot-lmtpd opensmtpd >/dev/null
