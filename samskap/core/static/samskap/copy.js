// "Copy" buttons: <button data-copy="ID"> copies the value of the element with that id.
// Without JavaScript the link stays selectable text in a read-only field.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy");
  }
  const status = document.getElementById(button.dataset.copy + "-status");
  if (status) status.textContent = button.dataset.copied;
});
