// Small browser helpers the dashboard calls through JS interop.
window.welinkDashboard = {
  setTitle: function (title) { document.title = title; },
};
