-- org.lua - an Emacs Org-mode writer for dconv (dconv --to docs/lua/org.lua).
-- One top-level heading per digest, one second-level heading per paper (its
-- title) with its properties, a link to the paper, the summary bullets as an
-- Org list. The title is not the link's description: a description cannot
-- hold "]", which titles do ("[CLS] tokens").
Format = {
  description = "Emacs Org-mode outline (Lua example)",
  extension = "org",
  version = "1.0",
  options = {
    { key = "votes", type = "bool", default = "true",
      help = "show each paper's votes as a property" },
  },
}

-- Org has no escape character: a zero-width space (U+200B, invisible) is
-- its documented way to keep markup characters literal. An emphasis
-- marker opens only after a space, one of -({'" or the line start, so a
-- zero-width space before such a marker makes it plain text; "$x$" is not
-- math when the closing "$" is followed by one; "[[" would start a link.
-- Line breaks would end a heading.
local ZWSP = "\u{200B}"
local function plain(s)
  if not s:find("[\r\n*/_=~+$%[]") then return s end -- the usual case, fast
  s = s:gsub("[\r\n]+", " ")
  s = s:gsub("()([*/_=~+])", function(pos, c)
    if pos == 1 or s:sub(pos - 1, pos - 1):match("[%s%-({'\"]") then
      return ZWSP .. c
    end
  end)
  return (s:gsub("%$", "$" .. ZWSP):gsub("%[%[", "[" .. ZWSP .. "["))
end

local function inlines(list, out)
  for _, n in ipairs(list) do
    local k = n.kind
    if k == "text" then out[#out + 1] = plain(n.text)
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

function Writer(doc)
  local show_votes = dconv.option("votes")
  dconv.write("#+TITLE: Daily Papers\n")
  -- Titles are plain text: no sub/superscripts (x^2, a_b), no special
  -- strings ("--" as a dash, "..." ), no entities (\alpha).
  dconv.write("#+OPTIONS: ^:nil -:nil e:nil\n")
  for _, digest in ipairs(doc.digests) do
    dconv.write("* ", plain(digest.title ~= "" and digest.title or digest.date), "\n")
    for _, paper in ipairs(digest.papers) do
      dconv.write("** ", plain(paper.title), "\n")
      dconv.write(":PROPERTIES:\n")
      if paper.arxiv_id then dconv.write(":ARXIV: ", paper.arxiv_id, "\n") end
      if show_votes and paper.votes then dconv.write(":VOTES: ", paper.votes, "\n") end
      if #paper.authors > 0 then
        dconv.write(":AUTHORS: ", table.concat(paper.authors, ", "), "\n")
      end
      dconv.write(":END:\n")
      if paper.url then dconv.write("[[", paper.url, "]]\n") end
      for _, item in ipairs(paper.items) do
        local indent = string.rep("  ", item.depth)
        local bullet = item.ordered and (item.number .. ".") or "-"
        dconv.write(indent, bullet, " ", (table.concat(inlines(item.content, {})):gsub("[\r\n]+", " ")), "\n")
      end
    end
  end
end
