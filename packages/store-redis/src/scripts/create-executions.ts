import { defineScript } from "./prelude.js";

/** Script arguments per item of `createExecutions`. */
const ARGS_PER_ITEM = 9;

/**
 * Many `createExecution`s in one script: each item an absent id created, a terminal one archived
 * and replaced by the next run, a non-terminal one left as it is. Returns one flag per item, in
 * order: 1 created, 0 exists. A repeated delivery of the same call (same request id) answers 1
 * for the ids it created. Publishes one `created` for the batch.
 *
 * KEYS[1] = due key (routing). ARGV = base, now, origin, request, then per item: id, taskName,
 * payload, runAt, priority ("" = none), concurrencyKey ("" = none), traceContext ("" = none),
 * version ("" = none), rateKey ("" = none).
 */
export const createExecutionsScript = defineScript(
  "zartCreateExecutions",
  `
local now, origin, request = ARGV[2], ARGV[3], ARGV[4]
local flags, first = {}, nil
for i = 5, #ARGV, ${ARGS_PER_ITEM} do
  local id = ARGV[i]
  local old = readRow(id)
  local run, flag = 1, 1
  if old ~= nil then
    if old.createRequest == request then
      flag = 2
    elseif not TERMINAL[old.status] then
      flag = 0
    else
      run = replaceRun(id, old)
    end
  end
  if flag == 1 then
    local priority = present(ARGV[i + 4]) and ARGV[i + 4] or nil
    local concurrencyKey = present(ARGV[i + 5]) and ARGV[i + 5] or nil
    local traceContext = present(ARGV[i + 6]) and ARGV[i + 6] or nil
    local version = present(ARGV[i + 7]) and ARGV[i + 7] or nil
    local rateKey = present(ARGV[i + 8]) and ARGV[i + 8] or nil
    local row = insertExecution(id, ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], now, request, priority, concurrencyKey,
      traceContext, version, rateKey)
    numberRun(id, row, run)
    first = first or id
  end
  flags[#flags + 1] = flag == 0 and 0 or 1
end
if first ~= nil then publish("created", first, origin) end
return flags
`,
);
