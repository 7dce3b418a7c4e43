-- wrk script for bench/wrk-compare.sh: POSTs pre-signed We-Link bodies, one per line in files
-- "<prefix>.<thread>" written by the script ("<path and query>\t<body>"). Each wrk thread reads only
-- its own slice, so no body is sent twice across threads; with "once" a thread that used up its
-- slice stops sending (wrk counts that run short, and the script sizes slices to avoid it), with
-- "cycle" (the no-op endpoint) it starts its slice again.
-- Usage: wrk -s bodies.lua URL -- <prefix> <once|cycle> [path override, e.g. /bench/noop]

local counter = 0
local threads = {}

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

local requests = {}
local next_index = 1
local mode = "once"

function init(args)
   local prefix = args[1]
   mode = args[2] or "once"
   local override = args[3]
   local file = assert(io.open(prefix .. "." .. id, "r"))
   for line in file:lines() do
      local tab = line:find("\t", 1, true)
      local path = line:sub(1, tab - 1)
      if override then
         -- the no-op endpoint takes the same query string as the webhook
         local q = path:find("?", 1, true)
         path = override .. (q and path:sub(q) or "")
      end
      local body = line:sub(tab + 1)
      requests[#requests + 1] = wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
   end
   file:close()
end

function request()
   if next_index > #requests then
      if mode == "cycle" then
         next_index = 1
      else
         -- Out of unique bodies: stop this thread rather than repeat one (a health check goes out instead
         -- of the request wrk asks for); wrk-compare.sh sizes the slices so that this does not happen.
         exhausted = true
         wrk.thread:stop()
         return wrk.format("GET", "/healthz")
      end
   end
   local r = requests[next_index]
   next_index = next_index + 1
   return r
end

function done(summary, latency, requests_)
   io.write(string.format("wrk-summary requests=%d p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
      summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
