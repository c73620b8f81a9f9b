// What the bench scripts here share: Debian's Chromium (or the browser CHROMIUM_PATH names)
// with the flags this machine needs, and the median of a list of times.
import { chromium } from "@playwright/test";

export const launchChromium = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
