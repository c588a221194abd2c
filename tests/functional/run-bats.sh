#!/bin/sh
exec bats "$OCIRUN_SRCDIR/tests/functional"
