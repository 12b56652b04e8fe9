// One browser and one server at a time: the machine has two cores, and Chromium is heavy.
[assembly: DoNotParallelize]
