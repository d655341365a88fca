#!/usr/bin/env node
console.log("mpstack platform: not built yet");
