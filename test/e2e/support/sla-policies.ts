/** Minutes: urgent tickets must be answered in 10 and resolved in 60, warned at 80 %. */
export const SHORT_POLICY = {
  targets: {
    urgent: { firstResponseMinutes: 10, resolutionMinutes: 60 },
    high: { firstResponseMinutes: 30, resolutionMinutes: 120 },
    medium: { firstResponseMinutes: 60, resolutionMinutes: 240 },
    low: { firstResponseMinutes: 120, resolutionMinutes: 480 },
  },
  warnAt: 0.8,
};
