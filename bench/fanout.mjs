// Fan-out load generator: N raw Engine.IO websocket clients watch a poll; one more client votes;
// each watcher records when the new results reach it. Raw frames (no socket.io client object per
// socket) keep the generator light; it runs in its own process, pinned to its own core.
//
// usage: node bench/fanout.mjs URL POLL_ID OPTION_ID COUNT  -> prints one JSON line
import WebSocket from "ws";
import { performance } from "node:perf_hooks";

const [url, pollArg, optionArg, countArg] = process.argv.slice(2);
const pollId = Number(pollArg);
const optionId = Number(optionArg);
const count = Number(countArg);
const wsUrl = url.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket";
const browser = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
// Engine.IO packet types and Socket.IO ones inside a message, as the bytes of their digits
const [OPEN, PING, MESSAGE] = ["0", "2", "4"].map((d) => d.charCodeAt(0));
const [CONNECT, EVENT, ACK, CONNECT_ERROR] = ["0", "2", "3", "4"].map((d) => d.charCodeAt(0));
const RESULTS = Buffer.from('["poll_results",');

function open(headers, auth, onEvent) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers, perMessageDeflate: false });
    // Frames are looked at as bytes: at 10,000 sockets the generator's own cost per message
    // must stay well under the server's.
    ws.on("message", (raw) => {
      const [first, second] = raw;
      if (first === PING && raw.length === 1) { ws.send("3"); return; }   // ping -> pong
      if (first === OPEN) { ws.send("40" + JSON.stringify(auth)); return; }
      if (first !== MESSAGE) return;
      if (second === CONNECT) { resolve(ws); return; }                    // "40": connected
      if (second === CONNECT_ERROR) { reject(new Error("refused: " + raw)); return; }
      if (second === EVENT || second === ACK) { onEvent(raw); }
    });
    ws.on("error", reject);
  });
}

async function main() {
  const latencies = new Array(count).fill(null);
  let t0 = null;
  let expected = null;
  let needle = null;  // the new results' voter count, as the server's compact JSON writes it
  const sockets = [];
  const started = performance.now();
  const batch = 200;
  for (let i = 0; i < count; i += batch) {
    const group = [];
    for (let j = i; j < Math.min(i + batch, count); j++) {
      group.push(open({ "User-Agent": browser }, { path: "/", polls: [pollId] }, (frame) => {
        if (t0 === null || latencies[j] !== null || !frame.includes(needle)) return;
        if (frame.includes(RESULTS)) latencies[j] = performance.now() - t0;
      }));
    }
    sockets.push(...await Promise.all(group));
  }
  const connectSeconds = (performance.now() - started) / 1000;
  // let the initial snapshots settle and the server sit idle, then report back for a memory reading
  await new Promise((r) => setTimeout(r, 3000));
  process.stdout.write(JSON.stringify({ stage: "connected", count, connectSeconds }) + "\n");
  await new Promise((r) => process.stdin.once("data", r));       // the driver read the memory

  // the voter: a page view first, for the visitor cookie
  const page = await fetch(url + "/", { headers: { "User-Agent": browser } });
  const cookie = page.headers.get("set-cookie").split(";")[0];
  const current = await (await fetch(`${url}/api/polls/${pollId}`, { headers: { cookie } })).json();
  expected = current.results.voters + 1;
  needle = Buffer.from(`"voters":${expected},`);
  let acked = null;
  const voter = await open({ "User-Agent": browser, Cookie: cookie }, { path: "/" }, (frame) => {
    if (frame[0] === MESSAGE && frame[1] === ACK) acked = performance.now() - t0;
  });
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  voter.send("421" + JSON.stringify(["vote", { poll_id: pollId, options: [optionId] }]));
  const deadline = performance.now() + 20000;
  while (latencies.some((v) => v === null) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const cpu = process.cpuUsage(cpu0);
  const got = latencies.filter((v) => v !== null).sort((a, b) => a - b);
  const pick = (q) => got.length ? got[Math.min(got.length - 1, Math.floor(q * got.length))] : null;
  process.stdout.write(JSON.stringify({
    stage: "done", count, received: got.length, ackMs: acked,
    firstMs: got[0] ?? null, p50Ms: pick(0.5), p99Ms: pick(0.99), lastMs: got[got.length - 1] ?? null,
    // the generator's own CPU from the vote until the last socket had the results
    loadCpuMs: (cpu.user + cpu.system) / 1000,
  }) + "\n");
  for (const ws of sockets) ws.terminate();
  voter.terminate();
  process.exit(0);
}

main().catch((error) => { console.error(error); process.exit(1); });
