import sharp from 'sharp';
import { createTextReader } from '@media-ai/ocr';
import { readFileSync } from 'node:fs';
for (const engine of ['paddle', 'hybrid'] as const) {
  const reader = createTextReader({ engine, workers: 2 });
  await reader.start();
  for (const f of ['passport_specimen_canada.jpg', 'id_driver_license_specimen_wa.jpg', 'business_card_on_wooden_desk.jpg']) {
    for (const side of [1200, 900]) {
      const img = await sharp(readFileSync('/work/shared/photos/' + f)).resize(side, side, { fit: 'inside' }).jpeg({ quality: 85 }).toBuffer();
      const c = process.cpuUsage();
      const t = performance.now();
      const r = await reader.read(img);
      const cpu = process.cpuUsage(c);
      console.log(engine, f, side, 'wall', Math.round(performance.now() - t), 'cpu', Math.round((cpu.user + cpu.system) / 1000), 'ms', r.lines.length, 'lines');
    }
  }
  await reader.stop();
}
