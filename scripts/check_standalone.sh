#!/usr/bin/env bash
# Start the standalone build (scripts/build_standalone.sh) on a virtual screen (Xvfb),
# wait for its window to show the analysed default prompt, save a screenshot, close it.
# Uses the normal model store, so the model is fetched and converted only if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
app=dist/llm-playground/llm-playground
shot=${1:-shots/standalone.png}
[ -x "$app" ] || { echo "Build it first: scripts/build_standalone.sh" >&2; exit 1; }
command -v Xvfb >/dev/null && command -v xdotool >/dev/null && command -v import >/dev/null || {
    echo "Needs Xvfb, xdotool and ImageMagick (apt-get install xvfb xdotool imagemagick)" >&2
    exit 1
}
display=:97
Xvfb $display -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app_pid $xvfb 2>/dev/null || true' EXIT
sleep 1
start=$(date +%s.%N)
DISPLAY=$display "$app" >/tmp/llm-playground-standalone.log 2>&1 &
app_pid=$!
for _ in $(seq 1 600); do
    if DISPLAY=$display xdotool search --name "^LLM Playground$" >/dev/null 2>&1; then break; fi
    kill -0 $app_pid 2>/dev/null || { cat /tmp/llm-playground-standalone.log; exit 1; }
    sleep 0.1
done
window_at=$(date +%s.%N)
sleep 8  # let it load the model and analyse the prompt
mkdir -p "$(dirname "$shot")"
DISPLAY=$display import -window root "$shot"
echo "window after $(echo "$window_at - $start" | bc) s; screenshot: $shot"
kill $app_pid
wait $app_pid 2>/dev/null || true
