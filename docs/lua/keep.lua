-- keep.lua - a filter: keep only the papers whose title contains one of the
-- words of a list (case-insensitive), e.g.
--   dconv --filter docs/lua/keep.lua:words=agent,diffusion --to markdown digests/
--   dconv --filter docs/lua/keep.lua:list=words.txt --to epub digests/
Format = {
  description = "keep papers whose title matches a word list (Lua example)",
  options = {
    { key = "words", type = "string", help = "words separated by ','" },
    { key = "list", type = "file", help = "a file with one word per line" },
  },
}

function Filter(doc)
  local words = {}
  for w in (dconv.option("words") or ""):gmatch("[^,]+") do words[#words + 1] = w:lower() end
  local list = dconv.option("list")
  if list then
    for line in io.lines(list) do
      local w = line:match("^%s*(.-)%s*$")
      if w ~= "" then words[#words + 1] = w:lower() end
    end
  end
  if #words == 0 then error("give -O words=... or list=FILE") end
  local kept = 0
  for _, paper in ipairs(doc.papers) do
    local title = paper.title:lower()
    local match = false
    for _, w in ipairs(words) do
      if title:find(w, 1, true) then match = true break end
    end
    if match then kept = kept + 1 else paper:remove() end
  end
  -- Like the select filter: a day left without papers goes too.
  for _, digest in ipairs(doc.digests) do
    if #digest.papers == 0 then digest:remove() end
  end
  dconv.log(("kept %d papers"):format(kept))
end
