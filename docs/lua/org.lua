-- org.lua - an Emacs Org-mode writer for dconv (dconv --to docs/lua/org.lua).
-- One top-level heading per digest, one second-level heading per paper with
-- its properties, the summary bullets as an Org list.
Format = {
  description = "Emacs Org-mode outline (Lua example)",
  extension = "org",
  version = "1.0",
  options = {
    { key = "votes", type = "bool", default = "true",
      help = "show each paper's votes as a property" },
  },
}

-- Org markup characters in plain text would start emphasis; keep them.
local function inlines(list, out)
  for _, n in ipairs(list) do
    local k = n.kind
    if k == "text" then out[#out + 1] = n.text
    elseif k == "code" then out[#out + 1] = "~" .. n.text .. "~"
    elseif k == "emph" then out[#out + 1] = "/"; inlines(n.content, out); out[#out + 1] = "/"
    elseif k == "strong" then out[#out + 1] = "*"; inlines(n.content, out); out[#out + 1] = "*"
    elseif k == "link" then
      local t = {}
      inlines(n.content, t)
      out[#out + 1] = "[[" .. n.url .. "][" .. table.concat(t) .. "]]"
    else inlines(n.content, out) end -- unknown kinds: keep their text
  end
  return out
end

-- A heading must stay on one line, and a leading '*' would nest it.
local function heading(s) return (s:gsub("[\r\n]+", " ")) end

function Writer(doc)
  local show_votes = dconv.option("votes")
  dconv.write("#+TITLE: Daily Papers\n")
  for _, digest in ipairs(doc.digests) do
    dconv.write("* ", heading(digest.title ~= "" and digest.title or digest.date), "\n")
    for _, paper in ipairs(digest.papers) do
      dconv.write("** [[", paper.url, "][", heading(paper.title), "]]\n")
      dconv.write(":PROPERTIES:\n")
      if paper.arxiv_id then dconv.write(":ARXIV: ", paper.arxiv_id, "\n") end
      if show_votes and paper.votes then dconv.write(":VOTES: ", paper.votes, "\n") end
      if #paper.authors > 0 then
        dconv.write(":AUTHORS: ", table.concat(paper.authors, ", "), "\n")
      end
      dconv.write(":END:\n")
      for _, item in ipairs(paper.items) do
        local indent = string.rep("  ", item.depth)
        local bullet = item.ordered and (item.number .. ".") or "-"
        dconv.write(indent, bullet, " ", heading(table.concat(inlines(item.content, {}))), "\n")
      end
    end
  end
end
