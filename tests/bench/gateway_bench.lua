-- wrk script of run_gateway_bench.sh: every request POSTs the same body, GATEWAY_BENCH_BODY (an
-- MCP tools/call); the headers come from wrk's -H options.
wrk.method = "POST"
wrk.body = os.getenv("GATEWAY_BENCH_BODY") or error("GATEWAY_BENCH_BODY is not set")
