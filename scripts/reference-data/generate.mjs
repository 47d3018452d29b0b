#!/usr/bin/env node
// Generates the reference of French collectivités embedded by the crate
// `maillage-domain` (see README.md beside this file):
//
//   crates/domain/data/collectivites.csv   siren;kind;name;departement;region
//   crates/domain/data/departements.csv    code;name
//   crates/domain/data/regions.csv         code;name
//
// Source: the npm package @etalab/decoupage-administratif (COG INSEE + DGCL,
// Licence Ouverte / code MIT). That package gives the SIREN of every commune
// and EPCI, but not the SIREN of régions and départements: those (a hundred
// well-known identifiers of the SIRENE directory, INSEE, Licence Ouverte) are
// listed in ECHELONS below and checked here (Luhn key, no duplicate, every
// département and région of the package accounted for).
//
// Usage: cd scripts/reference-data && npm install && node generate.mjs

import { createRequire } from 'node:module'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const pkg = '@etalab/decoupage-administratif'
const regions = require(`${pkg}/data/regions.json`)
const departements = require(`${pkg}/data/departements.json`)
const epcis = require(`${pkg}/data/epci.json`)
const epts = require(`${pkg}/data/ept.json`)
const communes = require(`${pkg}/data/communes.json`)
const version = require(`${pkg}/package.json`).version

const here = dirname(fileURLToPath(import.meta.url))
const outDir = join(here, '..', '..', 'crates', 'domain', 'data')

// SIREN of the collectivités that run a département or a région.
// kind: 'departement' or 'region'; dep: the département code ('' when it
// covers several); reg: the région code; name: only where it is not
// « Département de … » / « Région … » derived from the package's names.
// Not listed, on purpose:
// - Paris (75): the Ville de Paris is the commune 217500016, in the communes;
// - Bas-Rhin and Haut-Rhin (67, 68): merged into the Collectivité européenne
//   d'Alsace (2021), listed once below;
// - Corse-du-Sud and Haute-Corse (2A, 2B): merged into the Collectivité de
//   Corse (2018), listed once as a région;
// - Martinique and Guyane (972, 973): one collectivité territoriale each
//   (2016) that holds both levels, listed once as a région;
// - Mayotte: one Département de Mayotte that also holds the regional
//   powers, listed once as a département (région 06 has no SIREN of its own);
// - the Métropole de Lyon, which also holds the département's powers on its
//   territory, is an EPCI of the package (MET69);
// - overseas collectivités (975, 977, 978, 984–989): not in scope.
const ECHELONS = [
  ['220100010', 'departement', '01'], ['220200026', 'departement', '02'],
  ['220300016', 'departement', '03'], ['220400014', 'departement', '04'],
  ['220500011', 'departement', '05'], ['220600019', 'departement', '06'],
  ['220700017', 'departement', '07'], ['220800049', 'departement', '08'],
  ['220900013', 'departement', '09'], ['221000052', 'departement', '10'],
  ['221100019', 'departement', '11'], ['221200017', 'departement', '12'],
  ['221300015', 'departement', '13'], ['221401185', 'departement', '14'],
  ['221500010', 'departement', '15'], ['221600018', 'departement', '16'],
  ['221700016', 'departement', '17'], ['221800014', 'departement', '18'],
  ['221927205', 'departement', '19'], ['222100018', 'departement', '21'],
  ['222200016', 'departement', '22'], ['222309627', 'departement', '23'],
  ['222400012', 'departement', '24'], ['222500019', 'departement', '25'],
  ['222600017', 'departement', '26'], ['222702292', 'departement', '27'],
  ['222800013', 'departement', '28'], ['222900011', 'departement', '29'],
  ['223000019', 'departement', '30'], ['223100017', 'departement', '31'],
  ['223200015', 'departement', '32'], ['223300013', 'departement', '33'],
  ['223400011', 'departement', '34'], ['223500018', 'departement', '35'],
  ['223600016', 'departement', '36'], ['223700014', 'departement', '37'],
  ['223800012', 'departement', '38'], ['223900010', 'departement', '39'],
  ['224000018', 'departement', '40'], ['224100016', 'departement', '41'],
  ['224200014', 'departement', '42'], ['224300012', 'departement', '43'],
  ['224400028', 'departement', '44'], ['224500017', 'departement', '45'],
  ['224600015', 'departement', '46'], ['224700013', 'departement', '47'],
  ['224800011', 'departement', '48'], ['224900019', 'departement', '49'],
  ['225005024', 'departement', '50'], ['225100015', 'departement', '51'],
  ['225200013', 'departement', '52'], ['225300011', 'departement', '53'],
  ['225400019', 'departement', '54'], ['225500016', 'departement', '55'],
  ['225600014', 'departement', '56'], ['225700012', 'departement', '57'],
  ['225800010', 'departement', '58'], ['225900018', 'departement', '59'],
  ['226000016', 'departement', '60'], ['226100014', 'departement', '61'],
  ['226200012', 'departement', '62'], ['226300010', 'departement', '63'],
  ['226400018', 'departement', '64'], ['226500015', 'departement', '65'],
  ['226600013', 'departement', '66'],
  ['200094332', 'departement', '', '44', "Collectivité européenne d'Alsace"],
  ['226900017', 'departement', '69'], ['227000015', 'departement', '70'],
  ['227100013', 'departement', '71'], ['227200029', 'departement', '72'],
  ['227300019', 'departement', '73'], ['227400017', 'departement', '74'],
  ['227605409', 'departement', '76'], ['227700010', 'departement', '77'],
  ['227806460', 'departement', '78'], ['227900016', 'departement', '79'],
  ['228000014', 'departement', '80'], ['228100012', 'departement', '81'],
  ['228200010', 'departement', '82'], ['228300018', 'departement', '83'],
  ['228400016', 'departement', '84'], ['228500013', 'departement', '85'],
  ['228600011', 'departement', '86'], ['228708517', 'departement', '87'],
  ['228800017', 'departement', '88'], ['228900015', 'departement', '89'],
  ['229000013', 'departement', '90'], ['229102280', 'departement', '91'],
  ['229200506', 'departement', '92'], ['229300082', 'departement', '93'],
  ['229400288', 'departement', '94'], ['229501275', 'departement', '95'],
  ['229710017', 'departement', '971'], ['229740014', 'departement', '974'],
  ['229850003', 'departement', '976'],
  ['239710015', 'region', '', '01'],
  ['200055507', 'region', '972', '02', 'Collectivité territoriale de Martinique'],
  ['200052678', 'region', '973', '03', 'Collectivité territoriale de Guyane'],
  ['239740012', 'region', '', '04'],
  ['237500079', 'region', '', '11'], ['234500023', 'region', '', '24'],
  ['200053726', 'region', '', '27'], ['200053403', 'region', '', '28'],
  ['200053742', 'region', '', '32'], ['200052264', 'region', '', '44'],
  ['234400034', 'region', '', '52'], ['233500016', 'region', '', '53'],
  ['200053759', 'region', '', '75'], ['200053791', 'region', '', '76'],
  ['200053767', 'region', '', '84'], ['231300021', 'region', '', '93'],
  ['200076958', 'region', '', '94', 'Collectivité de Corse'],
]

// Départements and régions that have no line of their own (see above).
const NO_OWN_SIREN = new Set(['dep:75', 'dep:67', 'dep:68', 'dep:2A', 'dep:2B',
  'dep:972', 'dep:973', 'reg:06'])

// EPCI types of the package → OrgKind codes. EPT (établissements publics
// territoriaux of the Grand Paris) and any type not listed here → 'autre'.
const EPCI_KIND = { CC: 'cc', CA: 'ca', CU: 'cu', METRO: 'metropole', MET69: 'metropole' }

// « de », « du », « de la » … from INSEE's typeLiaison (TNCC) code.
const LIAISON = ['de ', "d'", 'du ', 'de la ', 'des ', "de l'", 'des ', 'de las ', 'de los ']

function luhn (siren) {
  let sum = 0
  for (let i = 0; i < siren.length; i++) {
    let d = siren.charCodeAt(siren.length - 1 - i) - 48
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9 }
    sum += d
  }
  return sum % 10 === 0
}

// NFC, single spaces; ASCII double quotes (two EPCI names have some) and
// doubled single quotes (one) become French quotes, or go when they wrap the
// whole name after its CC/CA prefix.
function cleanName (name) {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim()
    .replace(/^(CC|CA|CU) "([^"]*)"$/, '$1 $2')
    .replace(/"([^"]*)"/g, '« $1 »')
    .replace(/''([^']+)''/g, '« $1 »')
}

function fail (message) {
  console.error(`generate.mjs: ${message}`)
  process.exit(1)
}

const depByCode = new Map(departements.map(d => [d.code, d]))
const regByCode = new Map(regions.map(r => [r.code, r]))
const rows = []

// Régions and départements.
const covered = new Set()
for (const [siren, kind, dep, regGiven, name] of ECHELONS) {
  let reg = regGiven
  let label = name
  if (kind === 'departement' && dep) {
    const d = depByCode.get(dep) ?? fail(`unknown département ${dep}`)
    reg = d.region
    label ??= `Département ${LIAISON[d.typeLiaison] ?? fail(`typeLiaison ${d.typeLiaison}`)}${d.nom}`
    covered.add(`dep:${dep}`)
  }
  if (kind === 'region') {
    const r = regByCode.get(reg) ?? fail(`unknown région ${reg}`)
    label ??= `Région ${r.nom}`
    covered.add(`reg:${reg}`)
  }
  rows.push({ siren, kind, name: label, dep, reg, order: kind === 'region' ? 0 : 1, sort: kind === 'region' ? reg : (dep || '67') })
}
for (const d of departements) {
  if (d.zone !== 'com' && !covered.has(`dep:${d.code}`) && !NO_OWN_SIREN.has(`dep:${d.code}`)) fail(`département ${d.code} has no SIREN`)
}
for (const r of regions) {
  if (r.zone !== 'com' && !covered.has(`reg:${r.code}`) && !NO_OWN_SIREN.has(`reg:${r.code}`)) fail(`région ${r.code} has no SIREN`)
}

// Communes: only « commune actuelle » with a SIREN.
const communeByCode = new Map()
for (const c of communes) {
  if (c.type !== 'commune-actuelle') continue
  communeByCode.set(c.code, c)
}

// EPCI (and EPT): the département and the région when all member communes
// share one (the package gives no seat commune), else empty.
const unknownTypes = new Map()
for (const e of [...epcis, ...epts]) {
  const kind = EPCI_KIND[e.type] ?? 'autre'
  if (!EPCI_KIND[e.type]) unknownTypes.set(e.type, (unknownTypes.get(e.type) ?? 0) + 1)
  const deps = new Set()
  const regs = new Set()
  for (const m of e.membres) {
    const c = communeByCode.get(m.code)
    if (!c) continue
    deps.add(c.departement)
    regs.add(c.region)
  }
  const dep = deps.size === 1 ? [...deps][0] : ''
  const reg = regs.size === 1 ? [...regs][0] : ''
  rows.push({ siren: e.code, kind, name: e.nom, dep, reg, order: 2, sort: e.code })
}

let communeCount = 0
for (const c of communeByCode.values()) {
  if (!c.siren) continue
  communeCount++
  rows.push({ siren: c.siren, kind: 'commune', name: c.nom, dep: c.departement, reg: c.region, order: 3, sort: c.code })
}

// Checks: 9 digits, Luhn key, unique, nothing that breaks the CSV.
const seen = new Set()
for (const r of rows) {
  if (!/^[0-9]{9}$/.test(r.siren)) fail(`bad SIREN ${r.siren} (${r.name})`)
  if (!luhn(r.siren)) fail(`SIREN ${r.siren} (${r.name}) fails the Luhn key`)
  if (seen.has(r.siren)) fail(`duplicate SIREN ${r.siren} (${r.name})`)
  seen.add(r.siren)
  r.name = cleanName(r.name)
  for (const v of [r.name, r.dep, r.reg]) if (/[;\r\n"]/.test(v)) fail(`bad character in ${v}`)
}

rows.sort((a, b) => a.order - b.order || (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0))

const lines = ['siren;kind;name;departement;region']
for (const r of rows) lines.push([r.siren, r.kind, r.name, r.dep, r.reg].join(';'))
writeFileSync(join(outDir, 'collectivites.csv'), lines.join('\n') + '\n')

const codeName = list => ['code;name', ...list.map(x => {
  if (/[;\r\n"]/.test(x.nom)) fail(`bad character in ${x.nom}`)
  return `${x.code};${x.nom}`
})].join('\n') + '\n'
writeFileSync(join(outDir, 'departements.csv'), codeName(departements))
writeFileSync(join(outDir, 'regions.csv'), codeName(regions))

const counts = {}
for (const r of rows) counts[r.kind] = (counts[r.kind] ?? 0) + 1
console.log(`${pkg} ${version}: ${rows.length} collectivités`, counts)
console.log(`communes actuelles without SIREN (not written): ${communeByCode.size - communeCount}`)
if (unknownTypes.size) console.log('EPCI types mapped to « autre »:', Object.fromEntries(unknownTypes))
