# Generates plugins/bibtex/bib_table.h (run: python3 gen_table.py > bib_table.h).
# Unicode -> LaTeX for the classic BibTeX dialect, from Python's unicodedata.
import unicodedata as u
acc_sym = {0x300:'`',0x301:"'",0x302:'^',0x303:'~',0x304:'=',0x307:'.',0x308:'"'}
acc_let = {0x306:'u',0x30A:'r',0x30B:'H',0x30C:'v',0x327:'c',0x328:'k',0x323:'d',0x331:'b',0x326:'c'}
special = {
 0xDF:('\\ss','ss'),0xE6:('\\ae','ae'),0xC6:('\\AE','AE'),0xF8:('\\o','o'),0xD8:('\\O','O'),
 0xE5:('\\aa','aa'),0xC5:('\\AA','AA'),0x153:('\\oe','oe'),0x152:('\\OE','OE'),
 0x142:('\\l','l'),0x141:('\\L','L'),0x131:('\\i','i'),0xF0:('\\dh','d'),0xD0:('\\DH','D'),
 0xFE:('\\th','th'),0xDE:('\\TH','TH'),0x111:('\\dj','d'),0x110:('\\DJ','D'),
 0x14B:('\\ng','ng'),0x14A:('\\NG','NG'),0x237:('\\j','j'),
}
rows = {}
def add(cp, tex, fold, flags):
    rows[cp] = (tex, fold, flags)
UP, LO, WORD, MATH = 1, 2, 4, 8
for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
    ch = chr(cp)
    cat = u.category(ch)
    if cat not in ('Lu','Ll'): continue
    fl = (UP if cat=='Lu' else LO) | WORD
    if cp in special:
        t, f = special[cp]; add(cp, '{'+t+'}', f.lower(), fl); continue
    d = u.normalize('NFD', ch)
    b, marks = d[0], [ord(m) for m in d[1:]]
    if ord(b) > 0x7f or not b.isalpha() or not marks: continue
    if any(m not in acc_sym and m not in acc_let for m in marks): continue
    inner = b
    for m in marks:
        if m in acc_sym:
            inner = '\\%s%s' % (acc_sym[m], inner if len(inner) == 1 else '{' + inner + '}')
        else:
            inner = '\\%s{%s}' % (acc_let[m], inner)
    add(cp, '{' + inner + '}', b.lower(), fl)
greek = ['alpha','beta','gamma','delta','epsilon','zeta','eta','theta','iota','kappa','lambda','mu','nu','xi','o','pi','rho','varsigma','sigma','tau','upsilon','phi','chi','psi','omega']
for i, name in enumerate(greek):
    cp = 0x3B1 + i
    add(cp, '' if name=='o' else '\\'+name, name, LO|WORD|MATH)
rows[0x3BF] = ('o', 'o', LO|WORD|MATH)
for cp, name in [(0x393,'Gamma'),(0x394,'Delta'),(0x398,'Theta'),(0x39B,'Lambda'),(0x39E,'Xi'),(0x3A0,'Pi'),(0x3A3,'Sigma'),(0x3A5,'Upsilon'),(0x3A6,'Phi'),(0x3A8,'Psi'),(0x3A9,'Omega')]:
    add(cp, '\\'+name, name.lower(), UP|WORD|MATH)
for cp, name in [(0x3D5,'phi'),(0x3F5,'epsilon'),(0x3D1,'vartheta'),(0xB5,'mu')]:
    add(cp, '\\'+name, name, LO|WORD|MATH)
sym = {
 0xA0:('~',0),0xA1:('{\\textexclamdown}',0),0xBF:('{\\textquestiondown}',0),
 0xA7:('{\\S}',0),0xB6:('{\\P}',0),0xA9:('{\\textcopyright}',0),0xAE:('{\\textregistered}',0),
 0xB0:('^\\circ',MATH),0xB7:('{\\textperiodcentered}',0),0xAB:('{\\guillemotleft}',0),
 0xBB:('{\\guillemotright}',0),0xB2:('{\\textsuperscript{2}}',0),0xB3:('{\\textsuperscript{3}}',0),
 0xB9:('{\\textsuperscript{1}}',0),0xAD:('{\\-}',0),0xA3:('{\\pounds}',0),0xA2:('{\\textcent}',0),
 0xA5:('{\\textyen}',0),0xAA:('{\\textordfeminine}',0),0xBA:('{\\textordmasculine}',0),
 0xBC:('{\\textonequarter}',0),0xBD:('{\\textonehalf}',0),0xBE:('{\\textthreequarters}',0),
 0x2010:('-',0),0x2011:('-',0),0x2012:('--',0),0x2013:('--',0),0x2014:('---',0),0x2015:('---',0),
 0x2018:('`',0),0x2019:("'",0),0x201A:('{\\quotesinglbase}',0),0x201C:('``',0),0x201D:("''",0),
 0x201E:('{\\quotedblbase}',0),0x2020:('{\\dag}',0),0x2021:('{\\ddag}',0),0x2022:('{\\textbullet}',0),
 0x2026:('{\\ldots}',0),0x2030:('{\\textperthousand}',0),0x2039:('{\\guilsinglleft}',0),
 0x203A:('{\\guilsinglright}',0),0x20AC:('{\\texteuro}',0),0x2122:('{\\texttrademark}',0),
 0x2002:(' ',0),0x2003:(' ',0),0x2009:('{\\,}',0),0x200A:('{\\,}',0),0x202F:('{\\,}',0),
 0x200B:('',0),0x200C:('',0),0x200D:('',0),0x2060:('',0),0xFEFF:('',0),
 0xD7:('\\times',MATH),0xF7:('\\div',MATH),0xB1:('\\pm',MATH),0xAC:('\\neg',MATH),
 0x2032:("'",MATH),0x2033:("''",MATH),0x2190:('\\leftarrow',MATH),0x2192:('\\rightarrow',MATH),
 0x2191:('\\uparrow',MATH),0x2193:('\\downarrow',MATH),0x2194:('\\leftrightarrow',MATH),
 0x21D0:('\\Leftarrow',MATH),0x21D2:('\\Rightarrow',MATH),0x21D4:('\\Leftrightarrow',MATH),
 0x2200:('\\forall',MATH),0x2202:('\\partial',MATH),0x2203:('\\exists',MATH),0x2205:('\\emptyset',MATH),
 0x2207:('\\nabla',MATH),0x2208:('\\in',MATH),0x2209:('\\notin',MATH),0x220F:('\\prod',MATH),
 0x2211:('\\sum',MATH),0x2212:('-',MATH),0x2217:('\\ast',MATH),0x2218:('\\circ',MATH),
 0x221A:('\\surd',MATH),0x221D:('\\propto',MATH),0x221E:('\\infty',MATH),0x2227:('\\wedge',MATH),
 0x2228:('\\vee',MATH),0x2229:('\\cap',MATH),0x222A:('\\cup',MATH),0x222B:('\\int',MATH),
 0x223C:('\\sim',MATH),0x2248:('\\approx',MATH),0x2260:('\\neq',MATH),0x2261:('\\equiv',MATH),
 0x2264:('\\leq',MATH),0x2265:('\\geq',MATH),0x226A:('\\ll',MATH),0x226B:('\\gg',MATH),
 0x2282:('\\subset',MATH),0x2283:('\\supset',MATH),0x2286:('\\subseteq',MATH),0x2287:('\\supseteq',MATH),
 0x2295:('\\oplus',MATH),0x2297:('\\otimes',MATH),0x22C5:('\\cdot',MATH),0x2113:('\\ell',MATH),
 0x2115:('\\mathbf{N}',MATH),0x211D:('\\mathbf{R}',MATH),0x2124:('\\mathbf{Z}',MATH),
 0x2016:('\\|',MATH),0x2225:('\\parallel',MATH),0x27E8:('\\langle',MATH),0x27E9:('\\rangle',MATH),
}
for cp,(t,f) in sym.items(): add(cp, t, '', f)
print('/* Generated: Unicode code point -> LaTeX for the classic BibTeX dialect.')
print(' * flags: BIB_UP/BIB_LO letter case, BIB_WORD part of a word,')
print(' * BIB_MATH tex is a math-mode command (text wraps it as {$...$}).')
print(' * fold: lowercase ASCII transliteration used in citation keys. */')
print('static const bib_uchar bib_uchars[] = {')
def cstr(s): return '"' + s.replace('\\','\\\\').replace('"','\\"') + '"'
fn = {UP:'BIB_UP',LO:'BIB_LO',WORD:'BIB_WORD',MATH:'BIB_MATH'}
for cp in sorted(rows):
    t,f,fl = rows[cp]
    flags = '|'.join(fn[k] for k in (UP,LO,WORD,MATH) if fl & k) or '0'
    print('    {0x%04X, %s, %s, %s},' % (cp, cstr(t), cstr(f), flags))
print('};')
