#!/usr/bin/env bash
# Two nodes on one machine, each with its own SQLite file, doing Articles 15.1, 5 and 6 in
# writing over mutual TLS — exactly the commands of docs/exchange.md. Usage:
#   test/two-node/walkthrough.sh [WORKDIR]      (default: a new temporary directory)
# Prints each command and its output; exits non-zero at the first unexpected result.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
W="${1:-$(mktemp -d)}"
mkdir -p "$W"
cd "$W"
export KELISIM_LANG=en
k() { echo "\$ kelisim $*" >&2; node "$ROOT/bin/kelisim.mjs" "$@"; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(eval("v"+process.argv[1]))})' "$1"; }
KZP="${KZ_PORT:-17443}"; AMP="${AM_PORT:-17444}"
KZ="--data $W/kz"; AM="--data $W/am"

# 1. Each Party's node: competent authority, one authorized body, two officers, clearances, PKI.
for P in KZ AM; do
  p=$(echo $P | tr A-Z a-z); D="--data $W/$p"
  k node init $D --party $P
  k org register "$P Defence Institute" $D --as admin
  k person register ${p}ca --org competent-authority --name "$P CA officer" --role competent-authority-officer $D --as admin
  k person register ${p}reg --org "$P Defence Institute" --name "$P registry officer" --role registry-officer $D --as admin
  k org clearance "$P Defence Institute" --level top-secret --from 2026-01-01 --to 2030-12-31 $D --as ${p}ca
  k person clearance ${p}reg --level top-secret --from 2026-01-01 --to 2030-12-31 $D --as ${p}ca
  # A4.4: the registry officer reads their obligations and acknowledges the version read.
  V=$(k person show-obligations $D --as ${p}reg --json | json .version)
  k person acknowledge-obligations --version "$V" $D --as ${p}reg
  k pki init --party $P $D
  k exchange certify $D
  k exchange directory --out $W/$p.directory.json $D
done

# 2. Connect them: each pins the other's root (fingerprint read out over a second channel).
KZFP=$(json .rootFingerprint < $W/kz.directory.json); AMFP=$(json .rootFingerprint < $W/am.directory.json)
k exchange peer --directory $W/am.directory.json --fingerprint "$AMFP" --url https://127.0.0.1:$AMP $KZ
k exchange peer --directory $W/kz.directory.json --fingerprint "$KZFP" --url https://127.0.0.1:$KZP $AM
node "$ROOT/bin/kelisim.mjs" exchange serve $KZ --listen 127.0.0.1:$KZP > $W/kz.serve.log 2>&1 & KZPID=$!
node "$ROOT/bin/kelisim.mjs" exchange serve $AM --listen 127.0.0.1:$AMP > $W/am.serve.log 2>&1 & AMPID=$!
trap 'kill $KZPID $AMPID 2>/dev/null || true' EXIT
until grep -q listening $W/kz.serve.log && grep -q listening $W/am.serve.log; do sleep 0.2; done

# A15.1: each competent authority sends its notice of completed internal procedures; the agreement
# is in force at both nodes once both are received (and acknowledged).
k agreement notify --kind procedures-completed --reference "Note 1" $KZ --as kzca
k agreement notify --kind procedures-completed --reference "Note 2" $AM --as amca
in_force() { node "$ROOT/bin/kelisim.mjs" agreement status $1 --json | grep -q '"status": "in-force"'; }
for _ in $(seq 1 100); do in_force "$KZ --as kzca" && in_force "$AM --as amca" && break; sleep 0.3; done
k agreement status $KZ --as kzca

# 3. A contract between the two bodies (A7.1) and a carrier to send.
k contract create KZ-AM/2026/1 --title "Joint work" --counterpart "AM Defence Institute" $KZ --as kzreg
for c in information-list protection-conditions transfer-procedure third-party-ban cleared-persons-only disputes-and-damages; do
  k contract clause KZ-AM/2026/1 $c "as agreed" $KZ --as kzreg > /dev/null
done
k contract info KZ-AM/2026/1 "test results" --level top-secret $KZ --as kzreg
k contract participant KZ-AM/2026/1 kzreg $KZ --as kzreg
k contract activate KZ-AM/2026/1 $KZ --as kzreg
head -c 300000 /dev/urandom > $W/report.bin
REG=$(k carrier register --kind electronic-file --title "Test results" --level top-secret --file $W/report.bin --contract KZ-AM/2026/1 $KZ --as kzreg --json | json .registration_number)

wait_state() { # "DATA --as PERSON" TRANSFER STATE
  for _ in $(seq 1 300); do
    if node "$ROOT/bin/kelisim.mjs" transfer list $1 --json | grep -q "\"id\": \"$2\"" && \
       node "$ROOT/bin/kelisim.mjs" transfer list $1 --json | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.exit(JSON.parse(s).some(t=>t.id==='$2'&&t.state==='$3')?0:1))"; then return 0; fi
    sleep 0.5
  done
  echo "timed out waiting for $2 to be $3" >&2; return 1
}

# 4. Article 5: request → own competent authority consents and asks AM → AM confirms → dispatch → receipt.
T=$(k transfer request --carrier "$REG" --to "AM Defence Institute" $KZ --as kzreg --json | json .transferId)
# Refused while the own competent authority has not consented (A5.2):
if k transfer dispatch --transfer $T --channel agreed-electronic $KZ --as kzreg; then echo "dispatch without consent was not refused" >&2; exit 1; fi
k transfer consent --transfer $T $KZ --as kzca
wait_state "$AM --as amreg" $T clearance-asked
k transfer confirm-clearance --transfer $T $AM --as amca
wait_state "$KZ --as kzreg" $T confirmed
k transfer dispatch --transfer $T --channel agreed-electronic $KZ --as kzreg
wait_state "$KZ --as kzreg" $T acknowledged
k transfer list $KZ --as kzreg
k carrier list $AM --as amreg
AMREG=$(k transfer list $KZ --as kzreg --json | json ".find(t=>t.id==='$T').otherRegistration")

# 5. Article 6: copy refused without consent; asked, granted, copied with the original's marking.
if k carrier copy "$AMREG" $AM --as amreg; then echo "copy without consent was not refused" >&2; exit 1; fi
C=$(k consent request --carrier "$AMREG" --action copy --reason "second team" $AM --as amreg --json | json .consentId)
for _ in $(seq 1 100); do k consent list $KZ --as kzreg --json | grep -q "$C" && break; sleep 0.3; done
k consent grant --consent $C $KZ --as kzreg
for _ in $(seq 1 100); do k consent list $AM --as amreg --json | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.exit(JSON.parse(s).some(c=>c.id==='$C'&&c.state==='granted')?0:1))" && break; sleep 0.3; done
k carrier copy "$AMREG" $AM --as amreg
# The originator lowers the level (A6.4): AM's original and its copy are re-marked.
k carrier change-level "$REG" --level secret $KZ --as kzreg
sleep 3
k carrier list $AM --as amreg
# Third-party release refused without KZ's written consent (A4.1.5).
if k carrier release "$AMREG" --third-party "State X" $AM --as amreg; then echo "release was not refused" >&2; exit 1; fi

# 6. Both audit logs hold.
k audit verify $KZ
k audit verify $AM
k exchange status $AM
echo "walkthrough: OK ($W)" >&2
