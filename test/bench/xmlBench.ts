/**
 * The XML benchmark: what the inventory pays per domain when it reads every domain's XML of
 * every host (15,000 domains over 50 hosts), in this process, no lab needed.
 *
 * - parse_us: XML text → DomainDocument (xmldom).
 * - model_us: DomainDocument → DomainDefinition (the child walk the inventory uses).
 * - parse_model_us: parseDomainXml, both together.
 * - ms_per_15000: parse_model_us for 15,000 domains.
 */
import { readFileSync } from 'node:fs';
import { parseDomainXml, readDomainDefinition } from '../../main/libvirt/models/domain.js';
import { DomainDocument } from '../../main/libvirt/xml/domainDocument.js';
import { labDomainXml } from '../lab/populate.js';

export interface XmlBenchOptions {
  runs: number;
  log(line: Record<string, unknown>): void;
}

const fixture = (name: string): string => readFileSync(new URL(`../unit/fixtures/${name}`, import.meta.url), 'utf8');

/** Microseconds per call, the best of `runs` timed rounds of about 300 ms each. */
function microseconds(runs: number, call: () => unknown): number {
  let best = Infinity;
  let iterations = 200;
  for (let i = 0; i < iterations; i++) call();
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) call();
    const elapsed = Number(process.hrtime.bigint() - start) / 1000;
    best = Math.min(best, elapsed / iterations);
    // Size the next round to about 300 ms.
    iterations = Math.max(100, Math.round(300_000 / Math.max(best, 1)));
  }
  return best;
}

export function runXmlBench(options: XmlBenchOptions): void {
  const cases: [string, string][] = [
    ['lab-define', labDomainXml('lab1-vm0042', 42, false)],
    ['lab-dumpxml', fixture('domain-lab.xml')],
    ['typical', fixture('domain-typical.xml')],
    ['kvm-full', fixture('domain-kvm-full.xml')],
  ];
  for (const [name, xml] of cases) {
    const document = DomainDocument.parse(xml);
    const parse = microseconds(options.runs, () => DomainDocument.parse(xml));
    const model = microseconds(options.runs, () => readDomainDefinition(document));
    const both = microseconds(options.runs, () => parseDomainXml(xml));
    options.log({
      bench: 'xml',
      case: name,
      bytes: Buffer.byteLength(xml),
      parse_us: Number(parse.toFixed(1)),
      model_us: Number(model.toFixed(2)),
      parse_model_us: Number(both.toFixed(1)),
      ms_per_15000: Math.round((both * 15_000) / 1000),
    });
  }
}
